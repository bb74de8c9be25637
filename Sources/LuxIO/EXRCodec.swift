import COpenEXR
import Foundation
import LuxImage

/// OpenEXR codec on the OpenEXR 3.1 core C API (`OpenEXRCore`).
///
/// Reading: the first part of the file, scanline or tiled (level 0 of mip/rip maps), channels
/// `R`, `G`, `B` (and `A`) of type half, float or uint, or a `Y`-only luminance image (returned as
/// grey RGB); layer-prefixed names (`diffuse.R`) are accepted when no plain channel exists. Any
/// compression: the core library's, plus DWAA/DWAB through the C++ library's C RGBA interface
/// (see `EXRCodec+DWA.swift`). The data window is checked against `maxPixels` before any
/// pixel buffer is allocated. Values are linear, `colorSpace == .working`; uint channels are
/// returned as their numeric value.
/// Writing: one scanline part, ZIP compression, half (`bitDepth == 16`) or float (`bitDepth == 32`).
/// The bytes are read from memory through the library's stream callbacks; writing goes through a
/// temporary file that is read back and removed.
public enum EXRCodec: ImageCodec {
    public static let format = ImageFormat.exr

    /// The in-memory file for the read callbacks.
    private final class Source {
        let base: UnsafeRawPointer
        let count: Int
        init(base: UnsafeRawPointer, count: Int) { self.base = base; self.count = count }
    }

    private static func ok(_ r: exr_result_t) -> Bool { r == EXR_ERR_SUCCESS.rawValue }

    private static func message(_ r: exr_result_t) -> String {
        String(cString: exr_get_default_error_message(r))
    }

    /// Opens `data` for reading and runs `body` with the context; closes it afterwards.
    private static func withReader<T>(_ data: Data, path: String, _ body: (exr_context_t) throws -> T) throws -> T {
        try data.withUnsafeBytes { raw -> T in
            guard let base = raw.baseAddress else { throw ImageIOError.emptyFile(path: path) }
            let src = Source(base: base, count: raw.count)
            var ini = exr_context_initializer_t()
            ini.size = MemoryLayout<exr_context_initializer_t>.size
            ini.zip_level = -2
            ini.dwa_quality = -1
            ini.user_data = Unmanaged.passUnretained(src).toOpaque()
            ini.error_handler_fn = { _, _, _ in }  // errors are reported through the result codes
            ini.read_fn = { _, user, buffer, size, offset, _ in
                guard let user, let buffer else { return -1 }
                let s = Unmanaged<Source>.fromOpaque(user).takeUnretainedValue()
                guard offset < UInt64(s.count) else { return 0 }
                let n = min(Int(size), s.count - Int(offset))
                buffer.copyMemory(from: s.base + Int(offset), byteCount: n)
                return Int64(n)
            }
            ini.size_fn = { _, user in
                guard let user else { return -1 }
                return Int64(Unmanaged<Source>.fromOpaque(user).takeUnretainedValue().count)
            }
            var ctx: exr_context_t? = nil
            let r = exr_start_read(&ctx, path, &ini)
            defer { if ctx != nil { exr_finish(&ctx) } }
            guard ok(r), let c = ctx else {
                if r == EXR_ERR_FILE_BAD_HEADER.rawValue || r == EXR_ERR_BAD_CHUNK_LEADER.rawValue {
                    throw ImageIOError.corrupt(path: path, detail: "OpenEXR header: \(message(r))")
                }
                throw ImageIOError.corrupt(path: path, detail: "OpenEXR: \(message(r))")
            }
            return try withExtendedLifetime(src) { try body(c) }
        }
    }

    /// Which channel index of the part feeds R, G, B, A (alpha may be nil; grey: all three the same).
    private static func pickChannels(_ ctx: exr_context_t, path: String) throws -> (rgb: [Int], alpha: Int?, names: [String]) {
        var list: UnsafePointer<exr_attr_chlist_t>? = nil
        guard ok(exr_get_channels(ctx, 0, &list)), let chl = list?.pointee, let entries = chl.entries else {
            throw ImageIOError.corrupt(path: path, detail: "OpenEXR part has no channel list")
        }
        var names = [String]()
        for i in 0..<Int(chl.num_channels) {
            let e = entries[i]
            names.append(e.name.str.map { String(cString: $0) } ?? "")
            if e.x_sampling != 1 || e.y_sampling != 1 {
                throw ImageIOError.unsupportedFormat(path: path, detail: "OpenEXR subsampled channel \(names[i]) is not supported")
            }
        }
        func find(_ n: String) -> Int? {
            names.firstIndex(of: n) ?? names.firstIndex { $0.hasSuffix("." + n) }
        }
        if let r = find("R"), let g = find("G"), let b = find("B") {
            return ([r, g, b], find("A"), names)
        }
        if let y = find("Y") { return ([y, y, y], find("A"), names) }
        throw ImageIOError.unsupportedFormat(path: path, detail: "OpenEXR channels \(names.joined(separator: ",")) (need R,G,B or Y)")
    }

    private static func header(_ ctx: exr_context_t, path: String) throws -> (width: Int, height: Int, minX: Int, minY: Int) {
        var dw = exr_attr_box2i_t()
        guard ok(exr_get_data_window(ctx, 0, &dw)) else { throw ImageIOError.corrupt(path: path, detail: "OpenEXR data window missing") }
        let w = Int(dw.max.x) - Int(dw.min.x) + 1, h = Int(dw.max.y) - Int(dw.min.y) + 1
        return (w, h, Int(dw.min.x), Int(dw.min.y))
    }

    public static func probe(_ data: Data, path: String) throws -> (width: Int, height: Int, metadata: ImageMetadata) {
        try withReader(data, path: path) { ctx in
            let h = try header(ctx, path: path)
            let (rgb, _, _) = try pickChannels(ctx, path: path)
            return (h.width, h.height, ImageMetadata(format: .exr, bitDepth: try bitDepth(ctx, rgb[0]), isFloat: true))
        }
    }

    private static func bitDepth(_ ctx: exr_context_t, _ channel: Int) throws -> Int {
        var list: UnsafePointer<exr_attr_chlist_t>? = nil
        guard ok(exr_get_channels(ctx, 0, &list)), let e = list?.pointee.entries?[channel] else { return 32 }
        return e.pixel_type == EXR_PIXEL_HALF ? 16 : 32
    }

    public static func decode(_ data: Data, path: String, options: DecodeOptions) throws -> ImageFile {
        try withReader(data, path: path) { ctx in
            let h = try header(ctx, path: path)
            try options.checkDimensions(width: h.width, height: h.height, path: path)
            let (rgb, alpha, _) = try pickChannels(ctx, path: path)
            var compression = EXR_COMPRESSION_NONE
            _ = exr_get_compression(ctx, 0, &compression)
            if compression == EXR_COMPRESSION_DWAA || compression == EXR_COMPRESSION_DWAB {
                return try decodeWithRgbaInterface(data, path: path, width: h.width, height: h.height,
                                                   bitDepth: try bitDepth(ctx, rgb[0]))
            }
            var storage = exr_storage_t(0)
            _ = exr_get_storage(ctx, 0, &storage)
            guard storage == EXR_STORAGE_SCANLINE || storage == EXR_STORAGE_TILED else {
                throw ImageIOError.unsupportedFormat(path: path, detail: "OpenEXR deep data is not supported")
            }
            let channels = alpha == nil ? 3 : 4
            var image = Image(width: h.width, height: h.height, channels: channels, colorSpace: .working)
            let wanted = rgb + (alpha.map { [$0] } ?? [])
            try image.pixels.withUnsafeMutableBufferPointer { px in
                let base = UnsafeMutableRawPointer(px.baseAddress!)
                var decoder = exr_decode_pipeline_t()
                var started = false
                defer { if started { exr_decoding_destroy(ctx, &decoder) } }
                /// Decodes one chunk whose top-left pixel is (x0, y0) relative to the data window.
                func run(_ cinfo: inout exr_chunk_info_t, x0: Int, y0: Int) throws {
                    var r = started ? exr_decoding_update(ctx, 0, &cinfo, &decoder) : exr_decoding_initialize(ctx, 0, &cinfo, &decoder)
                    guard ok(r) else { throw ImageIOError.corrupt(path: path, detail: "OpenEXR chunk: \(message(r))") }
                    started = true
                    for i in 0..<Int(decoder.channel_count) { decoder.channels[i].decode_to_ptr = nil }
                    for (plane, ch) in wanted.enumerated() {
                        // For a grey image the Y channel is unpacked once, then copied.
                        if plane > 0, plane < 3, rgb[plane] == rgb[0] { continue }
                        let off = (plane * h.width * h.height + y0 * h.width + x0) * 4
                        decoder.channels[ch].decode_to_ptr = (base + off).assumingMemoryBound(to: UInt8.self)
                        decoder.channels[ch].user_pixel_stride = 4
                        decoder.channels[ch].user_line_stride = Int32(4 * h.width)
                        decoder.channels[ch].user_bytes_per_element = 4
                        decoder.channels[ch].user_data_type = UInt16(EXR_PIXEL_FLOAT.rawValue)
                    }
                    r = exr_decoding_choose_default_routines(ctx, 0, &decoder)
                    guard ok(r) else { throw ImageIOError.corrupt(path: path, detail: "OpenEXR decoder: \(message(r))") }
                    r = exr_decoding_run(ctx, 0, &decoder)
                    guard ok(r) else {
                        let t = r == EXR_ERR_READ_IO.rawValue || r == EXR_ERR_BAD_CHUNK_LEADER.rawValue
                        if t { throw ImageIOError.truncated(path: path, detail: "OpenEXR chunk: \(message(r))") }
                        throw ImageIOError.corrupt(path: path, detail: "OpenEXR chunk: \(message(r))")
                    }
                }
                if storage == EXR_STORAGE_SCANLINE {
                    var lines: Int32 = 1
                    _ = exr_get_scanlines_per_chunk(ctx, 0, &lines)
                    var y = h.minY
                    while y < h.minY + h.height {
                        var cinfo = exr_chunk_info_t()
                        let r = exr_read_scanline_chunk_info(ctx, 0, Int32(y), &cinfo)
                        guard ok(r) else { throw ImageIOError.truncated(path: path, detail: "OpenEXR scanline \(y): \(message(r))") }
                        try run(&cinfo, x0: 0, y0: Int(cinfo.start_y) - h.minY)
                        y = Int(cinfo.start_y) + Int(cinfo.height)
                    }
                } else {
                    var tw: Int32 = 0, th: Int32 = 0
                    guard ok(exr_get_tile_sizes(ctx, 0, 0, 0, &tw, &th)), tw > 0, th > 0 else {
                        throw ImageIOError.corrupt(path: path, detail: "OpenEXR tile description missing")
                    }
                    let tilesX = (h.width + Int(tw) - 1) / Int(tw), tilesY = (h.height + Int(th) - 1) / Int(th)
                    for ty in 0..<tilesY {
                        for tx in 0..<tilesX {
                            var cinfo = exr_chunk_info_t()
                            let r = exr_read_tile_chunk_info(ctx, 0, Int32(tx), Int32(ty), 0, 0, &cinfo)
                            guard ok(r) else { throw ImageIOError.truncated(path: path, detail: "OpenEXR tile \(tx),\(ty): \(message(r))") }
                            try run(&cinfo, x0: tx * Int(tw), y0: ty * Int(th))
                        }
                    }
                }
            }
            let n = h.width * h.height
            if rgb[1] == rgb[0] {
                for i in 0..<n { image.pixels[n + i] = image.pixels[i]; image.pixels[2 * n + i] = image.pixels[i] }
            }
            return ImageFile(image: image, metadata: ImageMetadata(format: .exr, bitDepth: try bitDepth(ctx, rgb[0]), isFloat: true))
        }
    }

    public static func encode(_ file: ImageFile, options: EncodeOptions) throws -> Data {
        guard options.bitDepth == 16 || options.bitDepth == 32 else {
            throw ImageIOError.unsupportedEncoding(format: .exr, detail: "bit depth \(options.bitDepth) (use 16 for half or 32 for float)")
        }
        let img = file.image, w = img.width, h = img.height, n = img.planeCount
        let half = options.bitDepth == 16
        let tmp = FileManager.default.temporaryDirectory
            .appendingPathComponent("lux-exr-\(UInt64.random(in: 0...UInt64.max)).exr").path
        defer { unlink(tmp) }
        func fail(_ what: String, _ r: exr_result_t) -> ImageIOError {
            .unsupportedEncoding(format: .exr, detail: "\(what): \(message(r))")
        }
        var ini = exr_context_initializer_t()
        ini.size = MemoryLayout<exr_context_initializer_t>.size
        ini.zip_level = -2
        ini.dwa_quality = -1
        ini.error_handler_fn = { _, _, _ in }
        var ctx: exr_context_t? = nil
        var r = exr_start_write(&ctx, tmp, EXR_WRITE_FILE_DIRECTLY, &ini)
        guard ok(r), let c = ctx else { throw ImageIOError.cannotWrite(path: tmp, detail: message(r)) }
        var finished = false
        defer { if !finished { exr_finish(&ctx) } }
        var part: Int32 = 0
        r = exr_add_part(c, "rgba", EXR_STORAGE_SCANLINE, &part)
        guard ok(r) else { throw fail("add part", r) }
        r = exr_initialize_required_attr_simple(c, part, Int32(w), Int32(h), EXR_COMPRESSION_ZIP)
        guard ok(r) else { throw fail("header", r) }
        let names = img.channels == 4 ? ["R", "G", "B", "A"] : ["R", "G", "B"]
        let ptype = half ? EXR_PIXEL_HALF : EXR_PIXEL_FLOAT
        for name in names {
            r = exr_add_channel(c, part, name, ptype, EXR_PERCEPTUALLY_LOGARITHMIC, 1, 1)
            guard ok(r) else { throw fail("channel \(name)", r) }
        }
        r = exr_write_header(c)
        guard ok(r) else { throw fail("write header", r) }
        // Source planes in the file's sample type.
        let bytes = half ? 2 : 4
        var planes = [UInt8](repeating: 0, count: n * img.channels * bytes)
        planes.withUnsafeMutableBytes { dst in
            if half {
                let p = dst.bindMemory(to: Float16.self)
                for i in 0..<(n * img.channels) { p[i] = Float16(img.pixels[i]) }
            } else {
                let p = dst.bindMemory(to: Float.self)
                for i in 0..<(n * img.channels) { p[i] = img.pixels[i] }
            }
        }
        var lines: Int32 = 1
        _ = exr_get_scanlines_per_chunk(c, part, &lines)
        try planes.withUnsafeBytes { src in
            let base = src.baseAddress!
            var encoder = exr_encode_pipeline_t()
            var started = false
            defer { if started { exr_encoding_destroy(c, &encoder) } }
            var y = 0
            while y < h {
                var cinfo = exr_chunk_info_t()
                r = exr_write_scanline_chunk_info(c, part, Int32(y), &cinfo)
                guard ok(r) else { throw fail("chunk", r) }
                r = started ? exr_encoding_update(c, part, &cinfo, &encoder) : exr_encoding_initialize(c, part, &cinfo, &encoder)
                guard ok(r) else { throw fail("encoder", r) }
                started = true
                for i in 0..<Int(encoder.channel_count) {
                    let chName = String(cString: encoder.channels[i].channel_name)
                    guard let plane = names.firstIndex(of: chName) else { continue }
                    let off = (plane * n + y * w) * bytes
                    encoder.channels[i].encode_from_ptr = (base + off).assumingMemoryBound(to: UInt8.self)
                    encoder.channels[i].user_pixel_stride = Int32(bytes)
                    encoder.channels[i].user_line_stride = Int32(bytes * w)
                    encoder.channels[i].user_bytes_per_element = Int16(bytes)
                    encoder.channels[i].user_data_type = UInt16(ptype.rawValue)
                }
                r = exr_encoding_choose_default_routines(c, part, &encoder)
                guard ok(r) else { throw fail("encoder", r) }
                r = exr_encoding_run(c, part, &encoder)
                guard ok(r) else { throw fail("encode", r) }
                y += Int(cinfo.height)
            }
        }
        finished = true
        r = exr_finish(&ctx)
        guard ok(r) else { throw fail("finish", r) }
        guard let out = FileManager.default.contents(atPath: tmp) else {
            throw ImageIOError.cannotWrite(path: tmp, detail: "temporary EXR file vanished")
        }
        return out
    }
}
