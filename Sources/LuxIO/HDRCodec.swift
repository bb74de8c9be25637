import Foundation
import LuxImage

/// Radiance RGBE (`.hdr`) codec, pure Swift.
///
/// A pixel is four bytes `(r, g, b, e)`; when `e > 0` the linear value is
/// `channel = (byte + 0.5) * 2^(e - 136)`, and `e == 0` means black. Precision: the largest channel
/// of a pixel has a relative error below 0.4 % (8-bit mantissa); smaller channels share its exponent.
///
/// Reading: new-style run-length scanlines, flat scanlines and old-style `(1,1,1,n)` repeats;
/// only the standard `-Y H +X W` orientation (others are refused with a clear error). The
/// `EXPOSURE=` header line is **ignored**: values are returned exactly as stored. Only
/// `FORMAT=32-bit_rle_rgbe` (or no FORMAT line) is accepted; XYZE is refused.
/// Writing: always new-style RLE when the width is in 8...32767, flat otherwise; alpha is dropped.
/// Decoded images are linear, `colorSpace == .working`.
public enum HDRCodec: ImageCodec {
    public static let format = ImageFormat.hdr

    struct Header {
        var width: Int
        var height: Int
        /// Offset of the first scanline byte.
        var dataOffset: Int
    }

    static func parseHeader(_ b: UnsafeBufferPointer<UInt8>, path: String) throws -> Header {
        var pos = 0
        func readLine() throws -> String {
            let start = pos
            while pos < b.count, b[pos] != 0x0A {
                pos += 1
                if pos - start > 4096 { throw ImageIOError.corrupt(path: path, detail: "HDR header line longer than 4096 bytes") }
            }
            guard pos < b.count else { throw ImageIOError.truncated(path: path, detail: "HDR header ends before the resolution line") }
            let line = String(decoding: UnsafeBufferPointer(rebasing: b[start..<pos]), as: UTF8.self)
            pos += 1
            return line
        }
        let magic = try readLine()
        guard magic.hasPrefix("#?") else { throw ImageIOError.unsupportedFormat(path: path, detail: "not a Radiance HDR file") }
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            if line.hasPrefix("FORMAT=") {
                let f = line.dropFirst(7).trimmingCharacters(in: .whitespaces)
                guard f == "32-bit_rle_rgbe" else {
                    throw ImageIOError.unsupportedFormat(path: path, detail: "HDR pixel format \(f) (only 32-bit_rle_rgbe)")
                }
            }
        }
        let res = try readLine().split(separator: " ", omittingEmptySubsequences: true)
        guard res.count == 4, let h = Int(res[1]), let w = Int(res[3]) else {
            throw ImageIOError.corrupt(path: path, detail: "HDR resolution line is malformed")
        }
        guard res[0] == "-Y", res[2] == "+X" else {
            throw ImageIOError.unsupportedFormat(path: path, detail: "HDR orientation \(res[0]) \(res[2]) (only -Y +X)")
        }
        return Header(width: w, height: h, dataOffset: pos)
    }

    public static func probe(_ data: Data, path: String) throws -> (width: Int, height: Int, metadata: ImageMetadata) {
        let h = try data.withUnsafeBytes { try parseHeader($0.bindMemory(to: UInt8.self), path: path) }
        return (h.width, h.height, ImageMetadata(format: .hdr, bitDepth: 32, isFloat: true))
    }

    public static func decode(_ data: Data, path: String, options: DecodeOptions) throws -> ImageFile {
        try data.withUnsafeBytes { raw in
            let b = raw.bindMemory(to: UInt8.self)
            let h = try parseHeader(b, path: path)
            try options.checkDimensions(width: h.width, height: h.height, path: path)
            let w = h.width, n = h.width * h.height
            var image = Image(width: w, height: h.height, channels: 3, colorSpace: .working)
            var line = [UInt8](repeating: 0, count: w * 4)  // interleaved RGBE of one scanline
            var pos = h.dataOffset
            let truncated = ImageIOError.truncated(path: path, detail: "HDR pixel data ends early")
            try image.pixels.withUnsafeMutableBufferPointer { px in
                for y in 0..<h.height {
                    guard pos + 4 <= b.count else { throw truncated }
                    if w >= 8, w <= 0x7FFF, b[pos] == 2, b[pos + 1] == 2, b[pos + 2] & 0x80 == 0 {
                        guard Int(b[pos + 2]) << 8 | Int(b[pos + 3]) == w else {
                            throw ImageIOError.corrupt(path: path, detail: "HDR scanline \(y) has the wrong width")
                        }
                        pos += 4
                        for c in 0..<4 {
                            var x = 0
                            while x < w {
                                guard pos < b.count else { throw truncated }
                                var count = Int(b[pos]); pos += 1
                                if count > 128 {
                                    count -= 128
                                    guard count <= w - x else { throw ImageIOError.corrupt(path: path, detail: "HDR run overruns scanline \(y)") }
                                    guard pos < b.count else { throw truncated }
                                    let v = b[pos]; pos += 1
                                    for i in 0..<count { line[(x + i) * 4 + c] = v }
                                } else {
                                    guard count > 0, count <= w - x else { throw ImageIOError.corrupt(path: path, detail: "HDR bad run length in scanline \(y)") }
                                    guard pos + count <= b.count else { throw truncated }
                                    for i in 0..<count { line[(x + i) * 4 + c] = b[pos + i] }
                                    pos += count
                                }
                                x += count
                            }
                        }
                    } else {
                        // Flat pixels, with old-style (1,1,1,n) runs repeating the previous pixel.
                        var x = 0, shift = 0
                        while x < w {
                            guard pos + 4 <= b.count else { throw truncated }
                            if b[pos] == 1, b[pos + 1] == 1, b[pos + 2] == 1 {
                                guard x > 0 else { throw ImageIOError.corrupt(path: path, detail: "HDR repeat with no previous pixel") }
                                let count = Int(b[pos + 3]) << shift
                                guard count <= w - x else { throw ImageIOError.corrupt(path: path, detail: "HDR repeat overruns scanline \(y)") }
                                for i in 0..<count { for c in 0..<4 { line[(x + i) * 4 + c] = line[(x - 1) * 4 + c] } }
                                x += count; shift += 8
                            } else {
                                for c in 0..<4 { line[x * 4 + c] = b[pos + c] }
                                x += 1; shift = 0
                            }
                            pos += 4
                        }
                    }
                    let row = y * w
                    for x in 0..<w {
                        let e = line[x * 4 + 3]
                        guard e != 0 else { px[row + x] = 0; px[n + row + x] = 0; px[2 * n + row + x] = 0; continue }
                        let f = Float(sign: .plus, exponent: Int(e) - 136, significand: 1)
                        px[row + x] = (Float(line[x * 4]) + 0.5) * f
                        px[n + row + x] = (Float(line[x * 4 + 1]) + 0.5) * f
                        px[2 * n + row + x] = (Float(line[x * 4 + 2]) + 0.5) * f
                    }
                }
            }
            return ImageFile(image: image, metadata: ImageMetadata(format: .hdr, bitDepth: 32, isFloat: true))
        }
    }

    /// RGBE of one linear pixel (negative values clamp to 0, non-finite to 0).
    @inline(__always) static func rgbe(_ r: Float, _ g: Float, _ b: Float) -> (UInt8, UInt8, UInt8, UInt8) {
        func clean(_ v: Float) -> Float { v.isFinite && v > 0 ? v : 0 }
        let r = clean(r), g = clean(g), b = clean(b)
        let v = max(r, g, b)
        guard v >= 1e-32 else { return (0, 0, 0, 0) }
        // v = m * 2^e with m in [0.5, 1): bytes = channel * 256 / 2^e.
        let e = Int(v.exponent) + 1
        guard e <= 127 else { return (255, 255, 255, 255) }
        let scale = Float(sign: .plus, exponent: 8 - e, significand: 1)
        func q(_ c: Float) -> UInt8 { UInt8(min(255, c * scale)) }
        return (q(r), q(g), q(b), UInt8(e + 128))
    }

    public static func encode(_ file: ImageFile, options: EncodeOptions) throws -> Data {
        let img = file.image, w = img.width, h = img.height, n = img.planeCount
        var out = [UInt8]()
        out.reserveCapacity(n * 4 + 128)
        out += Array("#?RADIANCE\n# Written by Lux\nFORMAT=32-bit_rle_rgbe\n\n-Y \(h) +X \(w)\n".utf8)
        let rle = w >= 8 && w <= 0x7FFF
        var line = [[UInt8]](repeating: [UInt8](repeating: 0, count: w), count: 4)
        img.pixels.withUnsafeBufferPointer { px in
            for y in 0..<h {
                for x in 0..<w {
                    let i = y * w + x
                    let (r, g, b, e) = rgbe(px[i], px[n + i], px[2 * n + i])
                    line[0][x] = r; line[1][x] = g; line[2][x] = b; line[3][x] = e
                }
                if !rle {
                    for x in 0..<w { for c in 0..<4 { out.append(line[c][x]) } }
                    continue
                }
                out += [2, 2, UInt8(w >> 8), UInt8(w & 0xFF)]
                for c in 0..<4 { appendRLE(line[c], to: &out) }
            }
        }
        return Data(out)
    }

    /// Run-length codes one component of a scanline: runs of 4 or more equal bytes become
    /// `(128 + count, value)`, the rest literal blocks `(count, bytes...)`, counts at most 127/128.
    static func appendRLE(_ s: [UInt8], to out: inout [UInt8]) {
        var i = 0
        let w = s.count
        while i < w {
            // Find the next run of at least 4.
            var runStart = i, runLen = 0
            while runStart < w {
                runLen = 1
                while runStart + runLen < w, runLen < 127, s[runStart + runLen] == s[runStart] { runLen += 1 }
                if runLen >= 4 { break }
                runStart += runLen
            }
            if runStart >= w { runStart = w; runLen = 0 }
            // Literals before the run.
            while i < runStart {
                let count = min(128, runStart - i)
                out.append(UInt8(count))
                out += s[i..<(i + count)]
                i += count
            }
            if runLen >= 4 {
                out.append(UInt8(128 + runLen))
                out.append(s[runStart])
                i = runStart + runLen
            }
        }
    }
}
