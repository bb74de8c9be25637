import Foundation
import LuxImage

/// Reinhard, Ashikhmin, Gooch & Shirley 2001, "Color Transfer between Images": match the per-channel
/// mean and standard deviation in the decorrelated lαβ space.
///
///     LMS = M·RGB (RGB clipped to ≥ 1/255),  L = log10(LMS),
///     lαβ = diag(1/√3, 1/√6, 1/√2)·[[1,1,1],[1,1,−2],[1,−1,0]]·L,
///     c' = (σ_t/σ_s)·(c − μ_s) + μ_t per channel, then the inverse chain.
///
/// Like most implementations (and Lux's other transfers) it runs on sRGB-encoded values in [0, 1].
public enum ReinhardTransfer {
    static let m: [[Float]] = [[0.3811, 0.5783, 0.0402], [0.1967, 0.7244, 0.0782], [0.0241, 0.1288, 0.8444]]
    static let mInv: [[Float]] = [[4.4679, -3.5873, 0.1193], [-1.2186, 2.3809, -0.1624], [0.0497, -0.2439, 1.2045]]

    @inline(__always) static func toLab(_ c: SIMD3<Float>) -> SIMD3<Float> {
        let x = c.replacing(with: SIMD3(repeating: 1 / 255), where: c .< SIMD3(repeating: 1 / 255))
        let lms = SIMD3((SIMD3(m[0][0], m[0][1], m[0][2]) * x).sum(), (SIMD3(m[1][0], m[1][1], m[1][2]) * x).sum(),
                        (SIMD3(m[2][0], m[2][1], m[2][2]) * x).sum())
        let l = SIMD3(log10(lms.x), log10(lms.y), log10(lms.z))
        return SIMD3((l.x + l.y + l.z) / Float(3).squareRoot(), (l.x + l.y - 2 * l.z) / Float(6).squareRoot(),
                     (l.x - l.y) / Float(2).squareRoot())
    }

    @inline(__always) static func fromLab(_ c: SIMD3<Float>) -> SIMD3<Float> {
        let a = c.x * Float(3).squareRoot() / 3, b = c.y * Float(6).squareRoot() / 6, d = c.z * Float(2).squareRoot() / 2
        let l = SIMD3(a + b + d, a + b - d, a - 2 * b)
        let lms = SIMD3(pow(10, l.x), pow(10, l.y), pow(10, l.z))
        return SIMD3((SIMD3(mInv[0][0], mInv[0][1], mInv[0][2]) * lms).sum(), (SIMD3(mInv[1][0], mInv[1][1], mInv[1][2]) * lms).sum(),
                     (SIMD3(mInv[2][0], mInv[2][1], mInv[2][2]) * lms).sum())
    }

    /// Mean and standard deviation of lαβ over `samples`.
    public static func statistics(_ samples: ColorSamples) -> (mean: SIMD3<Float>, std: SIMD3<Float>) {
        var lab = samples
        for i in 0..<samples.count {
            let v = toLab(samples[i])
            lab.values[i] = v.x; lab.values[samples.count + i] = v.y; lab.values[2 * samples.count + i] = v.z
        }
        return lab.meanStd()
    }

    /// `image` (sRGB-encoded RGB) graded to have the lαβ mean/std of `target`.
    public static func transfer(_ image: Image, to target: ColorSamples) -> Image {
        let s = statistics(ColorSamples(image: image)), t = statistics(target)
        let gain = t.std / s.std.replacing(with: SIMD3(repeating: 1e-6), where: s.std .< SIMD3(repeating: 1e-6))
        var out = image
        let n = image.planeCount
        out.pixels.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let p = buf.baseAddress!
            Parallel.forRanges(n, minChunk: 4096) { r in
                for i in r {
                    let lab = toLab(SIMD3(p[i], p[n + i], p[2 * n + i]))
                    let c = fromLab((lab - s.mean) * gain + t.mean)
                    p[i] = c.x; p[n + i] = c.y; p[2 * n + i] = c.z
                }
            }
        }
        return out
    }
}
