import Foundation
import LuxColor
import LuxImage

/// The histogram engine (`lux enhance --engine histogram`): predict the histogram of the enhanced
/// photo with a ``HistogramNet`` from the photo's own 3-D histogram, then move the photo's colours
/// onto it with ``PDFTransfer`` and remove the grain that leaves with ``Regrain``.
///
/// Steps, on sRGB-encoded values: histogram of a `side` px thumbnail (the size the network was
/// trained on) → network → target histogram (``strength``: half-way from the photo's to the prediction by
/// default) → `targetSamples` colours drawn from it (uniform inside each cell) → PDF transfer of the
/// full-resolution photo (planned on a subsample) → regrain → clip to [0, 1].
public struct HistogramEnhancer: @unchecked Sendable {
    public let net: HistogramNet
    public var transfer = PDFTransfer.Options(iterations: 10)
    public var regrain = true
    public var side = HistogramEnhancer.defaultSide
    /// The thumbnail side histograms are taken at (training and inference).
    public static let defaultSide = 192
    public var targetSamples = 1 << 18
    /// How far to move: the target is the geometric interpolation `∝ (h + 10⁻⁶)^(1−s)·ĥ^s` between the
    /// photo's histogram `h` and the prediction `ĥ` (1: the prediction as is). Default 0.5: the
    /// KL-trained prediction is a posterior mean (a blend of the originals the edit may have come from),
    /// and moving half-way was the best setting on the validation edits (see the model card).
    public var strength: Float = 0.5

    public init(net: HistogramNet) { self.net = net }

    /// What the engine produced for one photo.
    public struct Result: Sendable {
        /// The enhanced photo, sRGB-encoded (``enhanceEncoded(_:)``) or working space (``enhance(_:)``).
        public var image: Image
        /// Histogram of the input thumbnail, the network's prediction, and the target the photo was moved
        /// onto (after ``strength``), `bins`³ cells each.
        public var inputHistogram: [Float]
        public var predictedHistogram: [Float]
        public var targetHistogram: [Float]
    }

    /// Enhances an sRGB-encoded image; the result is sRGB-encoded.
    public func enhanceEncoded(_ encoded: Image) -> Result {
        let rgb = encoded.rgb()
        let hist = HistogramNet.histogram(rgb.thumbnail(maxSide: side), bins: net.bins)
        let predicted = net.predict(hist)
        var target = predicted
        if strength != 1 {
            let s = Double(strength)
            target = zip(hist, predicted).map { Float(pow(Double($0) + 1e-6, 1 - s) * pow(Double($1), s)) }
            let total = target.reduce(0, +)
            target = target.map { $0 / total }
        }
        return Result(image: apply(histogram: target, to: encoded), inputHistogram: hist, predictedHistogram: predicted,
                      targetHistogram: target)
    }

    /// Moves an sRGB-encoded image onto a `bins`³ histogram (``HistogramNet/bins``): PDF transfer, regrain, clip.
    public func apply(histogram: [Float], to encoded: Image) -> Image {
        let rgb = encoded.rgb()
        let target = ColorSamples(histogram: histogram, bins: net.bins, count: targetSamples, seed: transfer.seed)
        var out = PDFTransfer.transfer(rgb, to: target, options: transfer)
        if regrain { out = Regrain.apply(original: rgb, transferred: out) }
        out = out.clamped(to: 0...1)
        if encoded.hasAlpha {
            out = Image(width: out.width, height: out.height, channels: 4, colorSpace: encoded.colorSpace,
                        pixels: out.pixels + Array(encoded.pixels[(3 * encoded.planeCount)...]))
        }
        out.colorSpace = encoded.colorSpace
        return out
    }

    /// Enhances a working-space (linear) image; the result is in the working space.
    public func enhance(_ working: Image) -> Result {
        var r = enhanceEncoded(ColorPipeline.fromWorking(working, to: .sRGB))
        r.image = ColorPipeline.toWorking(r.image, from: .sRGB)
        return r
    }
}
