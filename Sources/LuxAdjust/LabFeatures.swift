import Foundation
import LuxColor
import LuxImage

/// CIE L*a*b* planes of a photo and the per-pixel colour features built from them.
public enum LabFeatures {
    /// Planar L*, a*, b* (D65) of a working-space (linear sRGB primaries) image: `3 * width * height` values.
    public static func planes(_ image: Image) -> [Float] {
        let n = image.planeCount
        var out = [Float](repeating: 0, count: 3 * n)
        image.pixels.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<n {
                    let lab = ColorMath.lab(fromLinearRGB: SIMD3(p[i], p[n + i], p[2 * n + i]))
                    o[i] = lab.x; o[n + i] = lab.y; o[2 * n + i] = lab.z
                }
            }
        }
        return out
    }

    /// A working-space image (linear, clamped to [0, 1]) from planar L*, a*, b*.
    public static func image(fromPlanes lab: [Float], width: Int, height: Int) -> Image {
        let n = width * height
        var out = Image(width: width, height: height, channels: 3, colorSpace: .working)
        out.pixels.withUnsafeMutableBufferPointer { o in
            for i in 0..<n {
                let c = ColorMath.linearRGB(fromLab: SIMD3(lab[i], lab[n + i], lab[2 * n + i]))
                o[i] = min(max(c.x, 0), 1); o[n + i] = min(max(c.y, 0), 1); o[2 * n + i] = min(max(c.z, 0), 1)
            }
        }
        return out
    }

    /// The quadratic colour basis of Yan et al. on normalised Lab (`l = L/50 − 1`, `a/50`, `b/50`):
    /// `[l, a, b, l², a², b², la, lb, ab, 1]` (``AdjustConfig/basisSize`` values).
    /// Written to `out[0..<10]`.
    @inline(__always) public static func basis(_ L: Float, _ a: Float, _ b: Float, into out: UnsafeMutablePointer<Float>) {
        let l = L / 50 - 1, u = a / 50, v = b / 50
        out[0] = l; out[1] = u; out[2] = v; out[3] = l * l; out[4] = u * u; out[5] = v * v
        out[6] = l * u; out[7] = l * v; out[8] = u * v; out[9] = 1
    }

    /// Mean per-pixel Euclidean distance in L*a*b* between two planar Lab buffers of the same size
    /// (the Table 1 error of Nam & Kim, computed per photo).
    public static func meanDistance(_ x: [Float], _ y: [Float]) -> Double {
        precondition(x.count == y.count && x.count % 3 == 0, "Lab buffers differ in size")
        let n = x.count / 3
        var s = 0.0
        for i in 0..<n {
            let d0 = x[i] - y[i], d1 = x[n + i] - y[n + i], d2 = x[2 * n + i] - y[2 * n + i]
            s += Double((d0 * d0 + d1 * d1 + d2 * d2).squareRoot())
        }
        return s / Double(max(n, 1))
    }

    /// The working-space image as it would be stored in an 8-bit sRGB file (encode, round, decode):
    /// what the metric sees of an output written by `lux adjust`.
    public static func quantized8(_ image: Image) -> Image {
        var out = image
        for i in out.pixels.indices {
            let e = TransferCurves.encode(min(max(out.pixels[i], 0), 1), .sRGB)
            out.pixels[i] = TransferCurves.decode((e * 255).rounded() / 255, .sRGB)
        }
        return out
    }
}
