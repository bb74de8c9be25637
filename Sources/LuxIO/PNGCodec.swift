import CLuxPNG
import Foundation
import LuxImage

/// PNG through libpng (wrapped in the `CLuxPNG` C target). All colour types and bit depths are
/// read as stored, with no gamma conversion: gray becomes three equal planes, palette and tRNS
/// expand to RGB(A); samples are scaled to [0, 1] by `v / 255` or `v / 65535`; 3 or 4 planes.
/// Writes RGB or RGBA at 8 or 16 bits (`EncodeOptions.bitDepth`), with iCCP and eXIf kept.
public enum PNGCodec: ImageCodec {
    public static let format = ImageFormat.png
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// zlib level used when writing (vips and libpng default to 6).
    public static let compressionLevel = 6

    /// Width, height, bit depth and colour type from the IHDR chunk, parsed in Swift without libpng.
    static func ihdr(_ data: Data, path: String) throws -> (width: Int, height: Int, depth: Int, colorType: Int) {
        if data.isEmpty { throw ImageIOError.emptyFile(path: path) }
        let b = [UInt8](data.prefix(33))
        guard b.count >= 8, Array(b[0..<8]) == signature else {
            throw ImageIOError.corrupt(path: path, detail: "missing PNG signature")
        }
        guard b.count >= 26 else { throw ImageIOError.truncated(path: path, detail: "PNG ends inside the IHDR header") }
        guard Array(b[12..<16]) == Array("IHDR".utf8) else {
            throw ImageIOError.corrupt(path: path, detail: "first PNG chunk is not IHDR")
        }
        func be32(_ o: Int) -> Int { Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3]) }
        return (be32(16), be32(20), Int(b[24]), Int(b[25]))
    }

    /// A libpng reader positioned before the image data; `body` runs while it is open.
    static func withReader<T>(_ data: Data, path: String,
                              _ body: (OpaquePointer, lux_png_info) throws -> T) throws -> T {
        try data.withUnsafeBytes { raw in
            var info = lux_png_info()
            var err = [CChar](repeating: 0, count: 256)
            guard let r = lux_png_reader_create(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, &info, &err, err.count)
            else { throw error(cMessage(err), path: path) }
            defer { lux_png_reader_free(r) }
            return try body(r, info)
        }
    }

    /// Maps a libpng message to `.truncated` (data ran out) or `.corrupt`.
    static func error(_ message: String, path: String) -> ImageIOError {
        if message.contains("unexpected end") || message.contains("Not enough image data") || message.contains("Read Error") {
            return .truncated(path: path, detail: "PNG: \(message)")
        }
        return .corrupt(path: path, detail: "PNG: \(message)")
    }

    static func metadata(_ r: OpaquePointer, depth: Int) -> ImageMetadata {
        var len = 0
        let icc = lux_png_reader_icc(r, &len).map { Array(UnsafeBufferPointer(start: $0, count: len)) }
        let exif = lux_png_reader_exif(r, &len).map { Array(UnsafeBufferPointer(start: $0, count: len)) }
        let info = exif.flatMap(EXIF.parse)
        let o = info?.orientation ?? 1
        return ImageMetadata(format: .png, bitDepth: depth, iccProfile: icc, exif: exif, orientation: o,
                             originalOrientation: o, cameraMake: info?.make, cameraModel: info?.model)
    }

    public static func probe(_ data: Data, path: String) throws -> (width: Int, height: Int, metadata: ImageMetadata) {
        let h = try ihdr(data, path: path)
        guard h.width > 0, h.height > 0 else {
            throw ImageIOError.corrupt(path: path, detail: "invalid dimensions \(h.width)x\(h.height)")
        }
        return try withReader(data, path: path) { r, info in
            (Int(info.width), Int(info.height), metadata(r, depth: Int(info.bit_depth)))
        }
    }

    public static func decode(_ data: Data, path: String, options: DecodeOptions) throws -> ImageFile {
        let h = try ihdr(data, path: path)
        try options.checkDimensions(width: h.width, height: h.height, path: path)
        return try withReader(data, path: path) { r, info in
            let w = Int(info.width), ht = Int(info.height), ch = Int(info.out_channels), n = w * ht
            let sixteen = info.out_depth == 16
            let samples = UnsafeMutableRawPointer.allocate(byteCount: n * ch * (sixteen ? 2 : 1), alignment: 16)
            defer { samples.deallocate() }
            var err = [CChar](repeating: 0, count: 256)
            if lux_png_reader_read(r, samples, &err, err.count) != 0 {
                throw error(cMessage(err), path: path)
            }
            var meta = metadata(r, depth: Int(info.bit_depth)) // after reading: eXIf may follow IDAT
            let pixels = [Float](unsafeUninitializedCapacity: ch * n) { dst, count in
                nonisolated(unsafe) let d = dst.baseAddress!, s = UnsafeRawPointer(samples)
                if sixteen {
                    deinterleave(s.assumingMemoryBound(to: UInt16.self), into: d, count: n, width: w, channels: ch,
                                 divisor: 65535)
                } else {
                    deinterleave(s.assumingMemoryBound(to: UInt8.self), into: d, count: n, width: w, channels: ch,
                                 divisor: 255)
                }
                count = ch * n
            }
            var image = Image(width: w, height: ht, channels: ch, colorSpace: .sRGB, pixels: pixels)
            if options.applyOrientation, meta.orientation != 1 {
                image = image.oriented(meta.orientation)
                meta.orientation = 1
            }
            return ImageFile(image: image, metadata: meta)
        }
    }

    /// Interleaved integer samples to planar Float, `value / divisor` (a true division, so that
    /// `k / 255` and `k / 65535` come back bit-exact), parallel over rows.
    static func deinterleave<T: FixedWidthInteger & UnsignedInteger>(
        _ s: UnsafePointer<T>, into d: UnsafeMutablePointer<Float>, count n: Int, width w: Int, channels ch: Int, divisor: Float
    ) {
        nonisolated(unsafe) let s = s, d = d
        Parallel.forRanges(n / w, minChunk: 32) { rows in
            let lo = rows.lowerBound * w, hi = rows.upperBound * w
            if ch == 3 {
                for i in lo..<hi {
                    let p = s + 3 * i
                    d[i] = Float(p[0]) / divisor
                    d[n + i] = Float(p[1]) / divisor
                    d[2 * n + i] = Float(p[2]) / divisor
                }
            } else {
                for i in lo..<hi {
                    let p = s + 4 * i
                    d[i] = Float(p[0]) / divisor
                    d[n + i] = Float(p[1]) / divisor
                    d[2 * n + i] = Float(p[2]) / divisor
                    d[3 * n + i] = Float(p[3]) / divisor
                }
            }
        }
    }

    public static func encode(_ file: ImageFile, options: EncodeOptions) throws -> Data {
        let exif = file.metadata.exif.map { EXIF.settingOrientation($0, to: 1) }
        return try encode(file.image, bitDepth: options.bitDepth, exif: exif, icc: file.metadata.iccProfile)
    }

    /// Encodes `image` (3 or 4 planes) at 8 or 16 bits; `exif` and `icc` are written as given.
    static func encode(_ image: Image, bitDepth: Int, exif: [UInt8]?, icc: [UInt8]?) throws -> Data {
        guard bitDepth == 8 || bitDepth == 16 else {
            throw ImageIOError.unsupportedEncoding(format: .png, detail: "bit depth \(bitDepth) (PNG supports 8 or 16)")
        }
        let w = image.width, h = image.height, ch = image.channels, n = w * h
        let sixteen = bitDepth == 16
        let samples = UnsafeMutableRawPointer.allocate(byteCount: n * ch * (sixteen ? 2 : 1), alignment: 16)
        defer { samples.deallocate() }
        image.pixels.withUnsafeBufferPointer { src in
            nonisolated(unsafe) let s = src.baseAddress!, raw = samples
            Parallel.forRanges(h, minChunk: 32) { rows in
                let lo = rows.lowerBound * w, hi = rows.upperBound * w
                if sixteen {
                    let d = raw.assumingMemoryBound(to: UInt16.self)
                    for c in 0..<ch { for i in lo..<hi { d[i * ch + c] = quantize16(s[c * n + i]) } }
                } else {
                    let d = raw.assumingMemoryBound(to: UInt8.self)
                    for c in 0..<ch { for i in lo..<hi { d[i * ch + c] = quantize8(s[c * n + i]) } }
                }
            }
        }
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var err = [CChar](repeating: 0, count: 256)
        let icc = icc ?? [], exif = exif ?? []
        let rc = lux_png_write(samples, UInt32(w), UInt32(h), Int32(ch), Int32(bitDepth), Int32(compressionLevel),
                               icc, icc.count, exif, exif.count, &out, &size, &err, err.count)
        guard rc == 0, let out else {
            throw ImageIOError.unsupportedEncoding(format: .png, detail: cMessage(err))
        }
        defer { lux_png_free(out) }
        return Data(bytes: out, count: size)
    }
}

/// The text of a NUL-terminated C message buffer.
func cMessage(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}
