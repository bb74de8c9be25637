import Foundation
import LuxColor
import LuxImage

/// A reconstructed radiance map: working-space linear RGB normalised by the seed's relative-luminance
/// gain (`image = reconstruction × gain`, ~95 % of the unclipped pixels in [0, 1]).
public struct RadianceMap: Sendable {
    /// Normalised linear radiance (working space).
    public var image: Image
    /// The normalisation gain `s` applied to the exposure-unit reconstruction.
    public var gain: Float
    /// Soft clipping mask (one value per pixel) where the prediction was blended in.
    public var mask: [Float]

    public init(image: Image, gain: Float, mask: [Float]) { self.image = image; self.gain = gain; self.mask = mask }

    /// The photo re-exposed by `ev` stops with camera response `crf`: `f(clip(2^ev · image / gain))`
    /// (encoded values, colour space `.sRGB` when `crf` is sRGB, else `.working`-tagged encoded values);
    /// with `crf == .linear` the linear values `2^ev · image / gain`, unclipped (for float outputs).
    ///
    /// sRGB and gamma responses run as one fused pass (``LuxColor/PlanarConversion``: the gain as a diagonal
    /// matrix, then the vectorised curve, as `lux enhance` writes), followed by the clip; the others per value.
    public func reexposed(ev: Float, crf: CameraResponse) -> Image {
        let k = Float(Foundation.pow(2.0, Double(ev))) / gain
        var out = image
        let n = 3 * image.planeCount
        let fast: FastTransfer? = switch crf {
        case .sRGB: TransferCurves.fastEncoder(.sRGB)
        case .gamma(let g): TransferCurves.fastEncoder(.gamma(g))
        default: nil
        }
        if let fast {
            PlanarConversion(matrix: .diagonal(SIMD3(repeating: Double(k))), output: fast).run(&out)
            out.pixels.withUnsafeMutableBufferPointer { p in
                Parallel.forRanges(n, minChunk: 65_536) { r in for i in r { p[i] = min(max(p[i], 0), 1) } }
            }
        } else {
            out.pixels.withUnsafeMutableBufferPointer { p in
                Parallel.forRanges(n, minChunk: 65_536) { r in
                    if crf == .linear { for i in r { p[i] *= k } } else { for i in r { p[i] = crf.encode(p[i] * k) } }
                }
            }
        }
        if crf == .sRGB { out.colorSpace = .sRGB }
        return out
    }
}

/// The reconstruction around any predictor of log radiance ratios (network, baselines): bounded size
/// for the prediction, full resolution kept exactly outside the clipped regions.
///
/// 1. mask α at full resolution (``InverseCamera/softMask(_:crf:threshold:)``); no clipped pixel: `H = x`.
/// 2. `x` reduced to ≤ `maxSide` (area filter), its own mask; the predictor returns the log ratio `r ≥ 0`
///    (3 planes) at that size; `r` is upsampled (bilinear, half-pixel centres) where α > 0 only.
/// 3. `H = x · exp(α · r)`: exactly `x` where α = 0; then `× gain` (``InverseCamera/normalizationGain(_:)``).
public enum Reconstruction {
    /// A predictor: (small linear RGB in exposure units, its soft mask) -> log ratio, 3 planes at that size.
    public typealias Predictor = (Image, [Float]) -> [Float]

    public static func run(linear x: Image, crf: CameraResponse, maskThreshold: Float = InverseCamera.defaultMaskThreshold,
                           maxSide: Int = 512, predictor: Predictor) -> RadianceMap {
        let x = x.rgb()
        let gain = InverseCamera.normalizationGain(x)
        let alpha = InverseCamera.softMask(x, crf: crf, threshold: maskThreshold)
        var out = x
        out.colorSpace = .working
        let n = x.planeCount, w = x.width, h = x.height
        var ratio: [Float] = [], sw = 0, sh = 0
        if alpha.contains(where: { $0 > 0 }) {
            let small = x.thumbnail(maxSide: maxSide)
            let smallMask = small.width == w && small.height == h ? alpha
                : InverseCamera.softMask(small, crf: crf, threshold: maskThreshold)
            ratio = predictor(small, smallMask)
            sw = small.width; sh = small.height
        }
        // One pass: `× gain` everywhere, `× exp(α·r)` inside the mask, with `r` sampled bilinearly
        // (half-pixel centres) from the prediction only where α > 0.
        let fx = Float(sw) / Float(w), fy = Float(sh) / Float(h), sn = sw * sh
        out.pixels.withUnsafeMutableBufferPointer { p in
            ratio.withUnsafeBufferPointer { r in
                Parallel.forRanges(h, minChunk: 8) { rows in
                    for y in rows {
                        let v = min(max((Float(y) + 0.5) * fy - 0.5, 0), Float(max(sh - 1, 0)))
                        let y0 = Int(v), y1 = min(y0 + 1, max(sh - 1, 0)), ty = v - Float(y0)
                        for xx in 0..<w {
                            let i = y * w + xx
                            guard alpha[i] > 0, sn > 0 else {
                                if gain != 1 { for c in 0..<3 { p[c * n + i] *= gain } }
                                continue
                            }
                            let u = min(max((Float(xx) + 0.5) * fx - 0.5, 0), Float(sw - 1))
                            let x0 = Int(u), x1 = min(x0 + 1, sw - 1), tx = u - Float(x0)
                            for c in 0..<3 {
                                let b = c * sn
                                let top = r[b + y0 * sw + x0] * (1 - tx) + r[b + y0 * sw + x1] * tx
                                let bot = r[b + y1 * sw + x0] * (1 - tx) + r[b + y1 * sw + x1] * tx
                                let rr = max(top * (1 - ty) + bot * ty, 0)
                                p[c * n + i] *= gain * Foundation.exp(alpha[i] * rr)
                            }
                        }
                    }
                }
            }
        }
        return RadianceMap(image: out, gain: gain, mask: alpha)
    }
}
