import CLibRaw
import Foundation
import LuxImage

/// Camera RAW decoder on LibRaw's C API (DNG, CR2, NEF, ARW, ORF, RW2, RAF...).
///
/// Output is scene-linear: camera white balance (as shot; LibRaw's default if the file has none),
/// demosaiced, converted by the camera matrix to sRGB primaries (`output_color = 1`), gamma 1/1,
/// no auto brightening, 16 bits; `value / 65535` so the sensor's white level (after black
/// subtraction and white balance) maps to 1. The result's `colorSpace` is `.working` (linear sRGB).
/// Dimensions are checked against `maxPixels` before unpacking: for TIFF-based files first from
/// the IFDs themselves (LibRaw cannot represent sizes above 65535), then from LibRaw's header.
/// LibRaw applies the camera's flip, so `metadata.orientation == 1`.
/// Encoding RAW is not supported (`unsupportedEncoding`).
public enum RAWCodec: ImageCodec {
    public static let format = ImageFormat.raw

    static func message(_ code: Int32) -> String { String(cString: libraw_strerror(code)) }

    static func string<T>(_ tuple: T) -> String? {
        let s = withUnsafeBytes(of: tuple) { b in
            String(decoding: b.prefix { $0 != 0 }, as: UTF8.self)
        }.trimmingCharacters(in: .whitespaces)
        return s.isEmpty ? nil : s
    }

    /// Opens `data` with LibRaw and runs `body`; the bytes stay alive and the handle is freed after.
    static func withLibRaw<T>(_ data: Data, path: String, _ body: (UnsafeMutablePointer<libraw_data_t>) throws -> T) throws -> T {
        guard let lr = libraw_init(0) else { throw ImageIOError.corrupt(path: path, detail: "LibRaw could not be initialised") }
        defer { libraw_close(lr) }
        var bytes = [UInt8](data)
        return try bytes.withUnsafeMutableBytes { b in
            let r = libraw_open_buffer(lr, b.baseAddress, b.count)
            guard r == LIBRAW_SUCCESS.rawValue else {
                if r == LIBRAW_FILE_UNSUPPORTED.rawValue {
                    throw ImageIOError.unsupportedFormat(path: path, detail: "LibRaw: \(message(r))")
                }
                throw ImageIOError.corrupt(path: path, detail: "LibRaw: \(message(r))")
            }
            return try body(lr)
        }
    }

    static func metadata(_ lr: UnsafeMutablePointer<libraw_data_t>) -> ImageMetadata {
        let maximum = Int(lr.pointee.color.maximum)
        var bits = 0
        while bits < 32, (1 << bits) <= maximum { bits += 1 }
        return ImageMetadata(format: .raw, bitDepth: bits > 0 ? bits : 16,
                             cameraMake: string(lr.pointee.idata.make), cameraModel: string(lr.pointee.idata.model))
    }

    public static func probe(_ data: Data, path: String) throws -> (width: Int, height: Int, metadata: ImageMetadata) {
        try withLibRaw(data, path: path) { lr in
            let s = lr.pointee.sizes
            let swap = s.flip & 4 != 0
            let w = Int(s.iwidth > 0 ? s.iwidth : s.width), h = Int(s.iheight > 0 ? s.iheight : s.height)
            return (swap ? h : w, swap ? w : h, metadata(lr))
        }
    }

    public static func decode(_ data: Data, path: String, options: DecodeOptions) throws -> ImageFile {
        if let (w, h) = RawDetection.largestImage(data) {  // TIFF-based RAW: check before LibRaw parses it
            try options.checkDimensions(width: w, height: h, path: path)
        }
        return try withLibRaw(data, path: path) { lr in
            try options.checkDimensions(width: Int(lr.pointee.sizes.raw_width), height: Int(lr.pointee.sizes.raw_height), path: path)
            try options.checkDimensions(width: Int(lr.pointee.sizes.width), height: Int(lr.pointee.sizes.height), path: path)
            lr.pointee.params.gamm.0 = 1
            lr.pointee.params.gamm.1 = 1
            lr.pointee.params.no_auto_bright = 1
            lr.pointee.params.output_bps = 16
            lr.pointee.params.output_color = 1
            lr.pointee.params.use_camera_wb = 1
            var r = libraw_unpack(lr)
            guard r == LIBRAW_SUCCESS.rawValue else {
                if r == LIBRAW_IO_ERROR.rawValue || r == LIBRAW_DATA_ERROR.rawValue {
                    throw ImageIOError.truncated(path: path, detail: "LibRaw unpack: \(message(r))")
                }
                throw ImageIOError.corrupt(path: path, detail: "LibRaw unpack: \(message(r))")
            }
            r = libraw_dcraw_process(lr)
            guard r == LIBRAW_SUCCESS.rawValue else { throw ImageIOError.corrupt(path: path, detail: "LibRaw processing: \(message(r))") }
            var err: Int32 = 0
            guard let mem = libraw_dcraw_make_mem_image(lr, &err) else {
                throw ImageIOError.corrupt(path: path, detail: "LibRaw output: \(message(err))")
            }
            defer { libraw_dcraw_clear_mem(mem) }
            let w = Int(mem.pointee.width), h = Int(mem.pointee.height), colors = Int(mem.pointee.colors)
            guard mem.pointee.bits == 16, colors == 3 || colors == 1, w > 0, h > 0 else {
                throw ImageIOError.unsupportedFormat(path: path, detail: "LibRaw produced \(colors) colours at \(mem.pointee.bits) bits")
            }
            let offset = MemoryLayout<libraw_processed_image_t>.offset(of: \.data)!
            let src = (UnsafeRawPointer(mem) + offset).assumingMemoryBound(to: UInt16.self)
            var image = Image(width: w, height: h, channels: 3, colorSpace: .working)
            let n = w * h
            image.pixels.withUnsafeMutableBufferPointer { px in
                for i in 0..<n {
                    for c in 0..<3 { px[c * n + i] = Float(src[i * colors + (colors == 3 ? c : 0)]) / 65535 }
                }
            }
            return ImageFile(image: image, metadata: metadata(lr))
        }
    }

    public static func encode(_ file: ImageFile, options: EncodeOptions) throws -> Data {
        throw ImageIOError.unsupportedEncoding(format: .raw, detail: "camera RAW is read-only; write TIFF, EXR or PNG")
    }
}
