import CTurboJPEG
import Foundation
import LuxImage

/// JPEG through TurboJPEG 2.1. Decoding gives 8-bit samples scaled to [0, 1] (`v / 255`) in
/// planar Float, tagged ``ColorSpace/sRGB``; grayscale JPEGs become three equal planes; CMYK/YCCK
/// is refused. Metadata (EXIF, ICC) is read from the marker segments in Swift. A file that ends
/// early ("Premature end of JPEG file") is ``ImageIOError/truncated``; other TurboJPEG warnings
/// (such as extraneous bytes before a marker) leave a complete image and are tolerated.
/// Encoding clamps to [0, 1], converts to YCbCr in Float (see ``YUVPlanes``), drops alpha, and
/// writes EXIF (with orientation 1) and the ICC profile after SOI/APP0.
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
        let n = w * h
        let o = head.metadata.orientation
        let orientation: Int? = options.applyOrientation && (2...8).contains(o) ? o : nil
        // Upright RGB decodes into the last quarter of the float buffer itself (bytes 9n..<12n),
        // saving a 3n-byte allocation and its page faults; see `expandInPlace`.
        let inPlace = !gray && orientation == nil
        let scratch: UnsafeMutablePointer<UInt8>? = inPlace ? nil : .allocate(capacity: n * bpp)
        defer { scratch?.deallocate() }
        let pixels = try [Float](unsafeUninitializedCapacity: 3 * n) { dst, count in
            let base = UnsafeMutableRawPointer(dst.baseAddress!)
            let bytes = scratch ?? (base + 9 * n).assumingMemoryBound(to: UInt8.self)
            // TurboJPEG decodes on this thread while the other cores fault in the float planes
            // (only the part TurboJPEG does not write itself).
            var rc: Int32 = 0
            Prefault.overlapping(base, bytes: (inPlace ? 9 : 12) * n) {
                rc = data.withUnsafeBytes { raw in
                    tjDecompress2(tj, raw.bindMemory(to: UInt8.self).baseAddress, UInt(raw.count), bytes,
                                  Int32(w), 0, Int32(h), Int32(pf.rawValue), 0)
                }
            }
            if rc != 0 {
                let msg = String(cString: tjGetErrorStr2(tj))
                let warning = tjGetErrorCode(tj) == Int32(TJERR_WARNING.rawValue)
                if msg.contains("Premature end") || msg.contains("end of data") {
                    throw ImageIOError.truncated(path: path, detail: msg)
                }
                // Other warnings (e.g. extraneous bytes before a marker) leave a complete image.
                if !warning { throw ImageIOError.corrupt(path: path, detail: msg) }
            }
            // Orientation is applied while converting (no second full-size copy): source pixel
            // (x, y) goes to plane index a + y * b + x * step; see `orientationWalk`.
            if inPlace {
                expandInPlace(base, count: n)
                count = 3 * n
                return
            }
            let (a, b, step) = orientation.map { orientationWalk($0, width: w, height: h) } ?? (0, w, 1)
            byteToFloat.withUnsafeBufferPointer { lut in
                nonisolated(unsafe) let d = dst.baseAddress!, t = lut.baseAddress!, s = UnsafePointer(bytes)
                Parallel.forRanges(h, minChunk: 32) { rows in
                    if step == 1 && b == w && a == 0 { // upright: contiguous, vectorisable
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
                        return
                    }
                    for y in rows {
                        var o = a + y * b
                        let row = s + y * w * bpp
                        for x in 0..<w {
                            if gray {
                                let v = t[Int(row[x])]
                                d[o] = v; d[n + o] = v; d[2 * n + o] = v
                            } else {
                                let p = row + 3 * x
                                d[o] = t[Int(p[0])]
                                d[n + o] = t[Int(p[1])]
                                d[2 * n + o] = t[Int(p[2])]
                            }
                            o += step
                        }
                    }
                }
            }
            count = 3 * n
        }
        let swaps = (orientation ?? 1) >= 5
        let image = Image(width: swaps ? h : w, height: swaps ? w : h, channels: 3, colorSpace: .sRGB, pixels: pixels)
        if orientation != nil { head.metadata.orientation = 1 }
        return ImageFile(image: image, metadata: head.metadata)
    }

    public static func encode(_ file: ImageFile, options: EncodeOptions) throws -> Data {
        let exif = file.metadata.exif.map { EXIF.settingOrientation($0, to: 1) }
        return try encode(file.image, quality: options.quality, subsampling: options.chromaSubsampling,
                          exif: exif, icc: file.metadata.iccProfile)
    }

    /// Encodes the RGB planes of `image`; `exif` and `icc` are written as given.
    static func encode(_ image: Image, quality: Int, subsampling: Bool, exif: [UInt8]?, icc: [UInt8]?) throws -> Data {
        let w = image.width, h = image.height
        guard w <= 65535, h <= 65535 else {
            throw ImageIOError.unsupportedEncoding(format: .jpeg, detail: "\(w)x\(h) exceeds JPEG's 65535-pixel side limit")
        }
        let planes = YUVPlanes(image, subsampling: subsampling)
        defer { planes.deallocate() }
        guard let tj = tjInitCompress() else { throw ImageIOError.unsupportedEncoding(format: .jpeg, detail: "cannot start TurboJPEG") }
        defer { tjDestroy(tj) }
        var out: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let samp = subsampling ? TJSAMP_420 : TJSAMP_444
        var src: [UnsafePointer<UInt8>?] = [UnsafePointer(planes.y), UnsafePointer(planes.cb), UnsafePointer(planes.cr)]
        var strides: [Int32] = [Int32(planes.yWidth), Int32(planes.cWidth), Int32(planes.cWidth)]
        let rc = tjCompressFromYUVPlanes(tj, &src, Int32(w), &strides, Int32(h), Int32(samp.rawValue), &out, &size,
                                         Int32(min(100, max(1, quality))), TJFLAG_ACCURATEDCT)
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

/// Where source pixel `(x, y)` of a `width x height` image lands in the upright image for EXIF
/// orientation 1...8 (the forward form of ``LuxImage/Image/oriented(_:)``): plane index
/// `a + y * b + x * step`.
func orientationWalk(_ orientation: Int, width w: Int, height h: Int) -> (a: Int, b: Int, step: Int) {
    switch orientation {
    case 2: (w - 1, w, -1)
    case 3: ((h - 1) * w + w - 1, -w, -1)
    case 4: ((h - 1) * w, -w, 1)
    case 5: (0, 1, h)
    case 6: (h - 1, -1, h)
    case 7: ((w - 1) * h + h - 1, -1, -h)
    case 8: ((w - 1) * h, 1, -h)
    default: (0, w, 1)
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
