#if canImport(Glibc)
import Glibc
#endif

/// Per-pixel colour model conversions on planar images and on single values.
///
/// The result of an image conversion keeps `colorSpace` unchanged: its planes then hold H,S,V or
/// X,Y,Z or L*,a*,b* instead of R,G,B; alpha is copied. RGB here means **linear** light with
/// sRGB / Rec. 709 primaries (``ColorSpace/working``); decode encoded images first (LuxColor).
public enum ColorMath {
    /// Linear sRGB -> CIE XYZ (D65), IEC 61966-2-1 as tabulated by Lindbloom; row 2 is Y.
    /// (The per-pixel functions below inline these literals.)
    public static let rgbToXYZ: [[Float]] = [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
    /// CIE XYZ (D65) -> linear sRGB, the inverse of ``rgbToXYZ``.
    public static let xyzToRGB: [[Float]] = [
        [3.2404542, -1.5371385, -0.4985314],
        [-0.9692660, 1.8760108, 0.0415560],
        [0.0556434, -0.2040259, 1.0572252],
    ]
    /// D65 reference white (Y = 1), the row sums of ``rgbToXYZ``: (0.95047, 1.00000, 1.08883).
    public static let whiteD65 = SIMD3<Float>(0.95047, 1.0, 1.08883)
    /// Rec. 709 relative luminance weights: `Y = 0.2126 R + 0.7152 G + 0.0722 B`.
    public static let luma709 = SIMD3<Float>(0.2126, 0.7152, 0.0722)

    /// CIE constants: epsilon = 216/24389, kappa = 24389/27.
    public static let labEpsilon: Float = 216.0 / 24389.0
    public static let labKappa: Float = 24389.0 / 27.0

    /// Linear RGB -> XYZ.
    @inlinable public static func xyz(fromLinearRGB c: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3(0.4124564 * c.x + 0.3575761 * c.y + 0.1804375 * c.z,
              0.2126729 * c.x + 0.7151522 * c.y + 0.0721750 * c.z,
              0.0193339 * c.x + 0.1191920 * c.y + 0.9503041 * c.z)
    }

    /// XYZ -> linear RGB.
    @inlinable public static func linearRGB(fromXYZ c: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3(3.2404542 * c.x - 1.5371385 * c.y - 0.4985314 * c.z,
              -0.9692660 * c.x + 1.8760108 * c.y + 0.0415560 * c.z,
              0.0556434 * c.x - 0.2040259 * c.y + 1.0572252 * c.z)
    }

    /// Cube root for `x >= 1e-30`, branch-free so that pixel loops vectorise: exponent/3 bit guess
    /// (within ~6 %) refined by three Newton steps `y <- (2y + x / y^2) / 3`; relative error ~1e-7.
    @inlinable static func cbrtPositive(_ x: Float) -> Float {
        var y = Float(bitPattern: x.bitPattern / 3 &+ 0x2A51_4067)
        y = (2 * y + x / (y * y)) * (1.0 / 3.0)
        y = (2 * y + x / (y * y)) * (1.0 / 3.0)
        y = (2 * y + x / (y * y)) * (1.0 / 3.0)
        return y
    }

    /// `f(t) = cbrt(t)` if `t > 216/24389`, else `(24389/27 t + 16) / 116` (both sides evaluated,
    /// then selected, to stay branch-free).
    @inlinable static func labF(_ t: Float) -> Float {
        let c = cbrtPositive(t > labEpsilon ? t : labEpsilon)
        let lin = (labKappa * t + 16) * (1.0 / 116.0)
        return t > labEpsilon ? c : lin
    }

    /// Inverse of ``labF``: `f^3` if `f^3 > 216/24389`, else `(116 f - 16) / (24389/27)`.
    @inlinable static func labFInv(_ f: Float) -> Float {
        let f3 = f * f * f
        return f3 > labEpsilon ? f3 : (116 * f - 16) / labKappa
    }

    /// XYZ -> CIE L*a*b* (D65 white): `L = 116 fy - 16`, `a = 500 (fx - fy)`, `b = 200 (fy - fz)`.
    /// L is in [0, 100] for Y in [0, 1].
    @inlinable public static func lab(fromXYZ c: SIMD3<Float>) -> SIMD3<Float> {
        let fx = labF(c.x / 0.95047), fy = labF(c.y), fz = labF(c.z / 1.08883)
        return SIMD3(116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
    }

    /// CIE L*a*b* (D65 white) -> XYZ.
    @inlinable public static func xyz(fromLab c: SIMD3<Float>) -> SIMD3<Float> {
        let fy = (c.x + 16) / 116
        let fx = fy + c.y / 500, fz = fy - c.z / 200
        // Y uses L directly below the knee: Y = L / kappa.
        let y = c.x > labKappa * labEpsilon ? fy * fy * fy : c.x / labKappa
        return SIMD3(labFInv(fx) * 0.95047, y, labFInv(fz) * 1.08883)
    }

    @inlinable public static func lab(fromLinearRGB c: SIMD3<Float>) -> SIMD3<Float> { lab(fromXYZ: xyz(fromLinearRGB: c)) }
    @inlinable public static func linearRGB(fromLab c: SIMD3<Float>) -> SIMD3<Float> { linearRGB(fromXYZ: xyz(fromLab: c)) }

    /// RGB -> HSV, all in [0, 1] for RGB in [0, 1]; H in [0, 1) (fraction of a turn, red = 0),
    /// S = (max - min) / max (0 when max = 0), V = max. Grey pixels get H = 0. Branch-free:
    /// H = ((G - B)/d, 2 + (B - R)/d or 4 + (R - G)/d by which channel is the max) / 6, wrapped into [0, 1).
    @inlinable public static func hsv(fromRGB c: SIMD3<Float>) -> SIMD3<Float> {
        let mx = max(c.x, max(c.y, c.z)), mn = min(c.x, min(c.y, c.z))
        let d = mx - mn
        let s: Float = mx > 0 ? d / mx : 0
        let inv = 1 / (d > 0 ? d : 1)
        let hr = (c.y - c.z) * inv, hg = 2 + (c.z - c.x) * inv, hb = 4 + (c.x - c.y) * inv
        var h = mx == c.x ? hr : (mx == c.y ? hg : hb)
        h = d > 0 ? h * (1.0 / 6.0) : 0
        h = h < 0 ? h + 1 : h
        h = h >= 1 ? h - 1 : h
        return SIMD3(h, s, mx)
    }

    /// HSV -> RGB, the inverse of ``hsv(fromRGB:)``; H is taken modulo 1. Branch-free form:
    /// channel(n) = V - V S clamp(min(k, 4 - k), 0, 1) with k = (n + 6 H) mod 6, n = 5, 3, 1 for R, G, B.
    @inlinable public static func rgb(fromHSV c: SIMD3<Float>) -> SIMD3<Float> {
        let h6 = (c.x - c.x.rounded(.down)) * 6
        let vs = c.z * c.y
        @inline(__always) func channel(_ n: Float) -> Float {
            var k = n + h6
            k = k >= 6 ? k - 6 : k
            let t = min(k, 4 - k)
            return c.z - vs * max(0, min(t, 1))
        }
        return SIMD3(channel(5), channel(3), channel(1))
    }
}

extension Image {
    /// Planes H, S, V (see ``ColorMath/hsv(fromRGB:)``).
    public func rgbToHSV() -> Image { mapRGB { ColorMath.hsv(fromRGB: $0) } }
    /// Planes R, G, B from planes H, S, V.
    public func hsvToRGB() -> Image { mapRGB { ColorMath.rgb(fromHSV: $0) } }
    /// Planes X, Y, Z (D65) from linear RGB.
    public func linearRGBToXYZ() -> Image { mapRGB { ColorMath.xyz(fromLinearRGB: $0) } }
    /// Linear RGB from planes X, Y, Z.
    public func xyzToLinearRGB() -> Image { mapRGB { ColorMath.linearRGB(fromXYZ: $0) } }
    /// Planes L*, a*, b* from planes X, Y, Z.
    public func xyzToLab() -> Image { mapRGB { ColorMath.lab(fromXYZ: $0) } }
    /// Planes X, Y, Z from planes L*, a*, b*.
    public func labToXYZ() -> Image { mapRGB { ColorMath.xyz(fromLab: $0) } }
    /// Planes L*, a*, b* from linear RGB.
    public func linearRGBToLab() -> Image { mapRGB { ColorMath.lab(fromLinearRGB: $0) } }
    /// Linear RGB from planes L*, a*, b*.
    public func labToLinearRGB() -> Image { mapRGB { ColorMath.linearRGB(fromLab: $0) } }

    /// Relative luminance plane `Y = 0.2126 R + 0.7152 G + 0.0722 B` (Rec. 709), `width * height`
    /// values; meaningful for linear RGB.
    public func luminance() -> [Float] {
        let n = planeCount, w = width
        var out = [Float](repeating: 0, count: n)
        let k = SIMD3<Float>(0.2126, 0.7152, 0.0722)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let r = src.baseAddress!, g = r + n, b = r + 2 * n, d = dst.baseAddress!
                Parallel.forRanges(height, minChunk: 64) { rows in
                    for i in (rows.lowerBound * w)..<(rows.upperBound * w) {
                        d[i] = k.x * r[i] + k.y * g[i] + k.z * b[i]
                    }
                }
            }
        }
        return out
    }
}
