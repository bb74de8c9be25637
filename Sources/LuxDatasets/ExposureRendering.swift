import Foundation
import LuxImage
import LuxColor

/// Renders well-exposed targets and exposure-error inputs from linear (scene-referred) photos, the
/// convention used for training and validating `lux enhance` and `lux correct`:
///
/// - **target**: scale linear light so the mean luminance is 0.18 (`normalized`), then sRGB curve and
///   8-bit quantisation;
/// - **input at `ev`**: the same scaled linear light times 2^ev, clipped to [0, 1] (so over-exposure
///   really loses highlights), then sRGB curve and 8-bit quantisation.
///
/// Luminance is Rec. 709 Y (0.2126, 0.7152, 0.0722) of the working-space (linear sRGB primaries) image.
public enum ExposureRendering {
    /// Mean luminance of a well-exposed rendering.
    public static let targetMeanLuminance: Float = 0.18

    /// Mean Rec. 709 luminance of a linear image.
    public static func meanLuminance(_ linear: Image) -> Float {
        let y = linear.luminance()
        var sum = 0.0
        for v in y { sum += Double(v) }
        return Float(sum / Double(max(1, y.count)))
    }

    /// `linear` scaled so its mean luminance is `mean` (alpha untouched). An all-black image is returned as is.
    public static func normalized(_ linear: Image, mean: Float = targetMeanLuminance) -> Image {
        let m = meanLuminance(linear)
        guard m > 0 else { return linear }
        return scaled(linear, by: mean / m)
    }

    /// `linear` times `factor` on the RGB planes.
    public static func scaled(_ linear: Image, by factor: Float) -> Image {
        var out = linear
        let n = 3 * linear.planeCount
        out.pixels.withUnsafeMutableBufferPointer { p in
            for i in 0..<n { p[i] *= factor }
        }
        return out
    }

    /// How a rendering maps clipped linear light to display values.
    public enum ToneCurve: String, Sendable, CaseIterable {
        /// The plain sRGB curve (the targets, and the inputs of `lux enhance`'s exposure data).
        case sRGB = "srgb"
        /// A camera-like rendering: the sRGB curve followed by a mild S-curve
        /// `c(y) = 0.75 y + 0.25 (1 - cos(pi y)) / 2` (monotonic, c(0) = 0, c(1) = 1, midtone slope
        /// 1.14, flatter toe and shoulder), standing in for an in-camera JPEG's contrast curve, so that
        /// even the EV-0 input differs from the well-exposed target (as the as-shot rendering does in
        /// Afifi et al.'s data).
        case camera

        /// Display value of a clipped linear value `v` in [0, 1].
        @inline(__always) public func apply(_ v: Float) -> Float {
            let e = TransferCurves.encode(v, .sRGB)
            switch self {
            case .sRGB: return e
            case .camera: return 0.75 * e + 0.125 * (1 - Float(cos(Double.pi * Double(e))))
            }
        }
    }

    /// Display rendering of linear light: exposure `ev`, clip to [0, 1], tone curve (sRGB by default),
    /// and (when `quantize8`) rounding to 8-bit codes. The result's colour space is `.sRGB` (encoded values).
    public static func render(_ linear: Image, ev: Float = 0, quantize8: Bool = true, curve: ToneCurve = .sRGB) -> Image {
        let gain = Float(pow(2.0, Double(ev)))
        var out = linear
        out.colorSpace = .sRGB
        let n = 3 * linear.planeCount
        out.pixels.withUnsafeMutableBufferPointer { p in
            for i in 0..<n {
                let v = min(max(p[i] * gain, 0), 1)
                let e = curve.apply(v)
                p[i] = quantize8 ? (e * 255).rounded() / 255 : e
            }
        }
        return out
    }

    /// A well-exposed target and the input rendered at `ev` from one linear photo.
    public static func pair(_ linear: Image, ev: Float) -> (input: Image, target: Image) {
        let base = normalized(linear)
        return (render(base, ev: ev), render(base, ev: 0))
    }
}
