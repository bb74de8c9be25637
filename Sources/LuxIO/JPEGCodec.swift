import CTurboJPEG
import Foundation
import LuxImage

/// JPEG through TurboJPEG 2.1. Decoding gives 8-bit samples scaled to [0, 1] (`v / 255`) in
/// planar Float, tagged ``ColorSpace/sRGB``; grayscale JPEGs become three equal planes; CMYK/YCCK
/// is refused. Metadata (EXIF, ICC) is read from the marker segments in Swift.
/// Encoding clamps to [0, 1], rounds to `round(v * 255)`, drops alpha, and writes EXIF (with
/// orientation 1) and the ICC profile after SOI/APP0.
public enum JPEGCodec: ImageCodec {
    public static let format = ImageFormat.jpeg

    /// `i / 255` for every byte value.
    static let byteToFloat: [Float] = (0..<256).map { Float($0) / 255 }

    public static func probe(_ data: Data, path: String) throws -> (width: Int, height: Int, metadata: ImageMetadata) {
        let h = try header(data, path: path)
        return (h.width, h.height, h.metadata)
    }

    struct Header {
        var width: Int
        var height: Int
        var colorspace: Int32
        var metadata: ImageMetadata
    }

    static func header(_ data: Data, path: String) throws -> Header {
        if data.isEmpty { throw ImageIOError.emptyFile(path: path) }
        guard let tj = tjInitDecompress() else { throw ImageIOError.corrupt(path: path, detail: "cannot start TurboJPEG") }
        defer { tjDestroy(tj) }
        var w: Int32 = 0, h: Int32 = 0, ss: Int32 = 0, cs: Int32 = 0
        return try data.withUnsafeBytes { raw in
            let rc = tjDecompressHeader3(tj, raw.bindMemory(to: UInt8.self).baseAddress, UInt(raw.count), &w, &h, &ss, &cs)
            if rc != 0 {
                let msg = String(cString: tjGetErrorStr2(tj))
                if raw.count < 64 || msg.contains("Premature end") || msg.contains("end of data") {
                    throw ImageIOError.truncated(path: path, detail: "JPEG header: \(msg)")
                }
                throw ImageIOError.corrupt(path: path, detail: "JPEG header: \(msg)")
            }
            let (exif, icc) = JPEGMarkers.readMetadata(raw)
            let info = exif.flatMap(EXIF.parse)
            let o = info?.orientation ?? 1
            let meta = ImageMetadata(format: .jpeg, bitDepth: 8, iccProfile: icc, exif: exif, orientation: o,
                                     originalOrientation: o, cameraMake: info?.make, cameraModel: info?.model)
            return Header(width: Int(w), height: Int(h), colorspace: cs, metadata: meta)
        }
    }

    public static func decode(_ data: Data, path: String, options: DecodeOptions) throws -> ImageFile {
        var head = try header(data, path: path)
        if head.colorspace == Int32(TJCS_CMYK.rawValue) || head.colorspace == Int32(TJCS_YCCK.rawValue) {
            throw ImageIOError.unsupportedFormat(path: path, detail: "CMYK JPEG is not supported; convert to RGB first")
        }
        let w = head.width, h = head.height
        try options.checkDimensions(width: w, height: h, path: path)
        let gray = head.colorspace == Int32(TJCS_GRAY.rawValue)
        let bpp = gray ? 1 : 3
        let pf = gray ? TJPF_GRAY : TJPF_RGB

        guard let tj = tjInitDecompress() else { throw ImageIOError.corrupt(path: path, detail: "cannot start TurboJPEG") }
        defer { tjDestroy(tj) }
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: w * h * bpp)
        defer { bytes.deallocate() }
        try data.withUnsafeBytes { raw in
            let rc = tjDecompress2(tj, raw.bindMemory(to: UInt8.self).baseAddress, UInt(raw.count), bytes,
                                   Int32(w), 0, Int32(h), Int32(pf.rawValue), 0)
            if rc != 0 {
                let msg = String(cString: tjGetErrorStr2(tj))
                let warning = tjGetErrorCode(tj) == Int32(TJERR_WARNING.rawValue)
                if msg.contains("Premature end") || msg.contains("end of data") {
                    throw ImageIOError.truncated(path: path, detail: msg)
                }
                // Other warnings (e.g. extraneous bytes before a marker) leave a complete image.
                if !warning { throw ImageIOError.corrupt(path: path, detail: msg) }
            }
        }

        let n = w * h
        let pixels = [Float](unsafeUninitializedCapacity: 3 * n) { dst, count in
            byteToFloat.withUnsafeBufferPointer { lut in
                nonisolated(unsafe) let d = dst.baseAddress!, t = lut.baseAddress!, s = UnsafePointer(bytes)
                Parallel.forRanges(h, minChunk: 32) { rows in
                    let lo = rows.lowerBound * w, hi = rows.upperBound * w
                    if gray {
                        for i in lo..<hi {
                            let v = t[Int(s[i])]
                            d[i] = v; d[n + i] = v; d[2 * n + i] = v
                        }
                    } else {
                        for i in lo..<hi {
                            let p = s + 3 * i
                            d[i] = t[Int(p[0])]
                            d[n + i] = t[Int(p[1])]
                            d[2 * n + i] = t[Int(p[2])]
                        }
                    }
                }
            }
            count = 3 * n
        }
        var image = Image(width: w, height: h, channels: 3, colorSpace: .sRGB, pixels: pixels)
        if options.applyOrientation, head.metadata.orientation != 1 {
            image = image.oriented(head.metadata.orientation)
            head.metadata.orientation = 1
        }
        return ImageFile(image: image, metadata: head.metadata)
    }

    public static func encode(_ file: ImageFile, options: EncodeOptions) throws -> Data {
        let exif = file.metadata.exif.map { EXIF.settingOrientation($0, to: 1) }
        return try encode(file.image, quality: options.quality, subsampling: options.chromaSubsampling,
                          exif: exif, icc: file.metadata.iccProfile)
    }

    /// Encodes the RGB planes of `image`; `exif` and `icc` are written as given.
    static func encode(_ image: Image, quality: Int, subsampling: Bool, exif: [UInt8]?, icc: [UInt8]?) throws -> Data {
        let w = image.width, h = image.height, n = w * h
        guard w <= 65535, h <= 65535 else {
            throw ImageIOError.unsupportedEncoding(format: .jpeg, detail: "\(w)x\(h) exceeds JPEG's 65535-pixel side limit")
        }
        let rgb = UnsafeMutablePointer<UInt8>.allocate(capacity: 3 * n)
        defer { rgb.deallocate() }
        image.pixels.withUnsafeBufferPointer { src in
            nonisolated(unsafe) let s = src.baseAddress!, d = rgb
            Parallel.forRanges(h, minChunk: 32) { rows in
                for i in (rows.lowerBound * w)..<(rows.upperBound * w) {
                    let q = d + 3 * i
                    q[0] = quantize8(s[i])
                    q[1] = quantize8(s[n + i])
                    q[2] = quantize8(s[2 * n + i])
                }
            }
        }
        guard let tj = tjInitCompress() else { throw ImageIOError.unsupportedEncoding(format: .jpeg, detail: "cannot start TurboJPEG") }
        defer { tjDestroy(tj) }
        var out: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let samp = subsampling ? TJSAMP_420 : TJSAMP_444
        let rc = tjCompress2(tj, rgb, Int32(w), 0, Int32(h), Int32(TJPF_RGB.rawValue), &out, &size,
                             Int32(samp.rawValue), Int32(min(100, max(1, quality))), TJFLAG_ACCURATEDCT)
        defer { if let out { tjFree(out) } }
        guard rc == 0, let out else {
            throw ImageIOError.unsupportedEncoding(format: .jpeg, detail: String(cString: tjGetErrorStr2(tj)))
        }
        let jpeg = UnsafeRawBufferPointer(start: out, count: Int(size))
        let extra = JPEGMarkers.segments(exif: exif, icc: icc)
        if extra.isEmpty { return Data(jpeg) }
        let at = JPEGMarkers.insertionPoint(jpeg)
        var result = Data(capacity: jpeg.count + extra.count)
        result.append(contentsOf: jpeg[0..<at])
        result.append(contentsOf: extra)
        result.append(contentsOf: jpeg[at...])
        return result
    }
}

/// `round(clamp(v, 0, 1) * 255)` as a byte; NaN becomes 0.
@inline(__always) func quantize8(_ v: Float) -> UInt8 {
    let c = v > 0 ? (v < 1 ? v : 1) : 0
    return UInt8(c * 255 + 0.5)
}

/// `round(clamp(v, 0, 1) * 65535)`; NaN becomes 0.
@inline(__always) func quantize16(_ v: Float) -> UInt16 {
    let c = v > 0 ? (v < 1 ? v : 1) : 0
    return UInt16(c * 65535 + 0.5)
}
