/// Small building blocks shared by the image operations: plane access, crop, per-sample map, clamp.
/// Operations never modify their input; each returns a new ``Image``.

/// Errors thrown by LuxImage operations that take user-supplied geometry or pairs of images.
public enum ImageOpError: Error, Equatable, CustomStringConvertible {
    case sizeMismatch(String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .sizeMismatch(let s): return "image size mismatch: \(s)"
        case .invalidArgument(let s): return "invalid argument: \(s)"
        }
    }
}

extension Image {
    /// An image whose pixel buffer is allocated but not cleared (saves one pass over memory for
    /// large outputs). Internal: the caller must write every value before the image escapes.
    static func uninitialized(width: Int, height: Int, channels: Int, colorSpace: ColorSpace) -> Image {
        let n = width * height * channels
        let px = [Float](unsafeUninitializedCapacity: n) { _, count in count = n }
        return Image(width: width, height: height, channels: channels, colorSpace: colorSpace, pixels: px)
    }

    /// Builds an image from separate planes (3 or 4, each `width * height` values).
    public init(width: Int, height: Int, colorSpace: ColorSpace = .working, planes: [[Float]]) {
        precondition(planes.count == 3 || planes.count == 4, "need 3 or 4 planes")
        var px = [Float]()
        px.reserveCapacity(width * height * planes.count)
        for p in planes {
            precondition(p.count == width * height, "plane size does not match dimensions")
            px.append(contentsOf: p)
        }
        self.init(width: width, height: height, channels: planes.count, colorSpace: colorSpace, pixels: px)
    }

    /// A copy of plane `c` (row-major, `width * height` values).
    public func plane(_ c: Int) -> [Float] {
        precondition(c >= 0 && c < channels, "plane index out of range")
        let o = planeOffset(c)
        return Array(pixels[o..<(o + planeCount)])
    }

    /// Copies of all planes, R, G, B (and A).
    public var planes: [[Float]] { (0..<channels).map { plane($0) } }

    /// The sub-image with top-left corner `(x, y)` and the given size; throws if it does not fit.
    public func cropped(x: Int, y: Int, width w: Int, height h: Int) throws(ImageOpError) -> Image {
        guard x >= 0, y >= 0, w > 0, h > 0, x + w <= width, y + h <= height else {
            throw .invalidArgument("crop \(w)x\(h)+\(x)+\(y) does not fit in \(width)x\(height)")
        }
        var out = Image(width: w, height: h, channels: channels, colorSpace: colorSpace)
        let W = width, H = height
        pixels.withUnsafeBufferPointer { s in
            out.pixels.withUnsafeMutableBufferPointer { d in
                for c in 0..<channels {
                    for r in 0..<h {
                        let src = s.baseAddress! + c * W * H + (y + r) * W + x
                        let dst = d.baseAddress! + c * w * h + r * w
                        dst.update(from: src, count: w)
                    }
                }
            }
        }
        return out
    }

    /// Applies `f` to every colour sample (alpha is copied unchanged), in parallel over rows.
    /// `f` should be a small branch-free closure so that the loop auto-vectorises.
    @inlinable
    public func mapValues(_ f: (Float) -> Float) -> Image {
        var out = self
        let n = planeCount, cc = min(channels, 3), w = width
        out.pixels.withUnsafeMutableBufferPointer { buf in
            let base = buf.baseAddress!
            Parallel.forRanges(height, minChunk: 64) { rows in
                for c in 0..<cc {
                    let p = base + c * n
                    for i in (rows.lowerBound * w)..<(rows.upperBound * w) { p[i] = f(p[i]) }
                }
            }
        }
        return out
    }

    /// Applies `f` to every RGB triple (alpha copied unchanged), in parallel over rows.
    @inlinable
    public func mapRGB(_ f: (SIMD3<Float>) -> SIMD3<Float>) -> Image {
        var out = self
        let n = planeCount, w = width
        out.pixels.withUnsafeMutableBufferPointer { buf in
            let r = buf.baseAddress!, g = r + n, b = r + 2 * n
            Parallel.forRanges(height, minChunk: 64) { rows in
                for i in (rows.lowerBound * w)..<(rows.upperBound * w) {
                    let v = f(SIMD3(r[i], g[i], b[i]))
                    r[i] = v.x; g[i] = v.y; b[i] = v.z
                }
            }
        }
        return out
    }

    /// Colour samples clamped to `range` (default [0, 1]); NaN becomes the lower bound. Alpha is
    /// clamped to [0, 1].
    public func clamped(to range: ClosedRange<Float> = 0...1) -> Image {
        let lo = range.lowerBound, hi = range.upperBound
        var out = mapValues { v in
            let a = v > lo ? v : lo
            return a < hi ? a : hi
        }
        if channels == 4 {
            let o = planeOffset(3)
            for i in o..<(o + planeCount) {
                let v = out.pixels[i]
                out.pixels[i] = v > 0 ? (v < 1 ? v : 1) : 0
            }
        }
        return out
    }
}
