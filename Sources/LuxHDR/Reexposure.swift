import Foundation
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
    public func reexposed(ev: Float, crf: CameraResponse) -> Image {
        let k = Float(Foundation.pow(2.0, Double(ev))) / gain
        var out = image
        let n = 3 * image.planeCount
        out.pixels.withUnsafeMutableBufferPointer { p in
            Parallel.forRanges(n, minChunk: 65_536) { r in
                if crf == .linear { for i in r { p[i] *= k } } else { for i in r { p[i] = crf.encode(p[i] * k) } }
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
///    (3 planes) at that size; `r` is upsampled (bilinear) to full resolution.
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
        if alpha.contains(where: { $0 > 0 }) {
            let small = x.thumbnail(maxSide: maxSide)
            let smallMask = small.width == x.width && small.height == x.height ? alpha
                : InverseCamera.softMask(small, crf: crf, threshold: maskThreshold)
            var ratio = Image(width: small.width, height: small.height, channels: 3, colorSpace: .working, pixels: predictor(small, smallMask))
            if ratio.width != x.width || ratio.height != x.height { ratio = ratio.resized(width: x.width, height: x.height, filter: .bilinear) }
            let n = x.planeCount
            out.pixels.withUnsafeMutableBufferPointer { p in
                ratio.pixels.withUnsafeBufferPointer { r in
                    Parallel.forRanges(n, minChunk: 65_536) { range in
                        for i in range where alpha[i] > 0 {
                            for c in 0..<3 { p[c * n + i] *= Foundation.exp(alpha[i] * max(r[c * n + i], 0)) }
                        }
                    }
                }
            }
        }
        if gain != 1 {
            out.pixels.withUnsafeMutableBufferPointer { p in
                Parallel.forRanges(p.count, minChunk: 65_536) { r in for i in r { p[i] *= gain } }
            }
        }
        return RadianceMap(image: out, gain: gain, mask: alpha)
    }
}
