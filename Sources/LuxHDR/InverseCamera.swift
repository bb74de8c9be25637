import Foundation
import LuxImage

/// The inverse camera pipeline of the seed (re-exposure by reconstructing radiance maps):
/// undo the response curve, mark what the sensor clipped, normalise relative luminance.
///
/// Images here are planar RGB in linear light with the sensor's clipping level at 1 ("exposure units").
public enum InverseCamera {
    /// Encoded level above which a pixel counts as (partly) clipped: the soft mask starts at τ.
    public static let defaultMaskThreshold: Float = 0.95
    /// Fraction of pixels the normalisation puts in [0, 1].
    public static let normalizationQuantile: Float = 0.95
    /// Largest normalisation gain (very dark frames).
    public static let maxGain: Float = 64

    /// Encoded values (CRF applied, `crf.encode`) -> linear exposure (`crf.decode`), RGB planes; alpha dropped.
    public static func linearize(_ encoded: Image, crf: CameraResponse) -> Image {
        var out = encoded.rgb()
        out.colorSpace = .working
        out.pixels.withUnsafeMutableBufferPointer { p in
            Parallel.forRanges(p.count, minChunk: 65_536) { r in for i in r { p[i] = crf.decode(p[i]) } }
        }
        return out
    }

    /// Whether `linear` looks sensor-clipped (every value ≤ 1): float data above 1 has nothing to hallucinate.
    public static func isDisplayReferred(_ linear: Image) -> Bool {
        var m: Float = 0
        for v in linear.pixels[0..<(3 * linear.planeCount)] where v > m { m = v }
        return m <= 1.0001
    }

    /// Soft clipping mask, one value per pixel in [0, 1]:
    /// `α = clamp((max_c f(x) − τ) / (1 − τ), 0, 1)` with `f` the CRF (HDRCNN's blend mask, on encoded values).
    /// All zeros for an image with values above 1 (not sensor-clipped, see ``isDisplayReferred(_:)``).
    public static func softMask(_ linear: Image, crf: CameraResponse, threshold tau: Float = defaultMaskThreshold) -> [Float] {
        let n = linear.planeCount
        var mask = [Float](repeating: 0, count: n)
        guard isDisplayReferred(linear) else { return mask }
        let tLin = crf.decode(tau)   // max_c f(x) ≥ τ  ⇔  max_c x ≥ f⁻¹(τ) (f monotone)
        linear.pixels.withUnsafeBufferPointer { p in
            mask.withUnsafeMutableBufferPointer { m in
                Parallel.forRanges(n, minChunk: 65_536) { r in
                    for i in r {
                        let x = max(p[i], max(p[n + i], p[2 * n + i]))
                        if x <= tLin { continue }
                        m[i] = min(max((crf.encode(x) - tau) / (1 - tau), 0), 1)
                    }
                }
            }
        }
        return mask
    }

    /// The seed's relative-luminance normalisation: the gain `s` that puts ~95 % of the pixels in
    /// [0, 1], `s = 1 / q95(max_c x)`, clamped to [1, ``maxGain``] (a sub-sample of ≤ 65 536 pixels is used).
    public static func normalizationGain(_ linear: Image) -> Float {
        let n = linear.planeCount
        guard n > 0 else { return 1 }
        let stride = max(1, n / 65_536)
        var v: [Float] = []
        v.reserveCapacity(n / stride + 1)
        linear.pixels.withUnsafeBufferPointer { p in
            var i = 0
            while i < n { v.append(max(p[i], max(p[n + i], p[2 * n + i]))); i += stride }
        }
        v.sort()
        let q = v[min(v.count - 1, Int(Float(v.count - 1) * normalizationQuantile))]
        return q > 0 ? min(max(1 / q, 1), maxGain) : maxGain
    }
}
