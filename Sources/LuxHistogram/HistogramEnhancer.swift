import Foundation
import LuxColor
import LuxImage

/// The histogram engine (`lux enhance --engine histogram`): predict the histogram of the enhanced
/// photo with a ``HistogramNet`` from the photo's own 3-D histogram, then move the photo's colours
/// onto it with ``PDFTransfer`` and remove the grain that leaves with ``Regrain``.
///
/// Steps, on sRGB-encoded values: histogram of a `side` px thumbnail (the size the network was
/// trained on) → network → `targetSamples` colours drawn from the predicted histogram (uniform inside
/// each cell) → PDF transfer of the full-resolution photo (planned on a subsample) → regrain → clip to
/// [0, 1] → blend with the photo (``strength``: per photo, by the model's calibrated ``AdaptiveStrength``).
public struct HistogramEnhancer: @unchecked Sendable {
    public let net: HistogramNet
    public var transfer = PDFTransfer.Options(iterations: 10)
    public var regrain = true
    public var side = HistogramEnhancer.defaultSide
    /// The thumbnail side histograms are taken at (training and inference).
    public static let defaultSide = 192
    public var targetSamples = 1 << 18
    /// How far to move, in image space: the output is `x + s·(T(x) − x)`, with `T(x)` the photo moved all
    /// the way onto the prediction (1: `T(x)` itself). nil (the default): per photo, by the model's
    /// calibrated ``AdaptiveStrength`` (``HistogramNet/strength``), or ``fallbackStrength`` for a model
    /// without one. A value overrides it for every photo.
    public var strength: Float?
    /// The fixed strength of models without a calibration: half-way (the KL-trained prediction is a
    /// posterior mean, a blend of the originals the edit may have come from; see the model card).
    public static let fallbackStrength: Float = 0.5

    public init(net: HistogramNet) { self.net = net }

    /// What the engine produced for one photo.
    public struct Result: Sendable {
        /// The enhanced photo, sRGB-encoded (``enhanceEncoded(_:)``) or working space (``enhance(_:)``).
        public var image: Image
        /// Histogram of the input thumbnail and the network's prediction (the photo is moved onto it,
        /// then blended back by ``strength``), `bins`³ cells each.
        public var inputHistogram: [Float]
        public var predictedHistogram: [Float]
        /// The strength used (``strength``, or the adaptive one for this photo).
        public var strength: Float
    }

    /// Enhances an sRGB-encoded image; the result is sRGB-encoded.
    public func enhanceEncoded(_ encoded: Image) -> Result {
        let rgb = encoded.rgb()
        let hist = HistogramNet.histogram(rgb.thumbnail(maxSide: side), bins: net.bins)
        let predicted = net.predict(hist)
        var image = apply(histogram: predicted, to: encoded)
        let s = strength(for: encoded, input: hist, predicted: predicted, full: image)
        if s != 1 { image = Self.blend(from: encoded, to: image, amount: s) }
        return Result(image: image, inputHistogram: hist, predictedHistogram: predicted, strength: s)
    }

    /// The strength for one photo: ``strength`` if set, else the model's ``AdaptiveStrength`` of the
    /// histogram distance and of the RMS step to the full transfer `full`, else ``fallbackStrength``.
    func strength(for encoded: Image, input: [Float], predicted: [Float], full: Image) -> Float {
        if let strength { return strength }
        guard let rule = net.strength else { return Self.fallbackStrength }
        let move = rule.maxMove == nil ? 0 : ((try? ImageMetrics.mse(full, encoded)) ?? 0).squareRoot()
        return rule.strength(distance: AdaptiveStrength.distance(input: input, predicted: predicted), move: move)
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

    /// `a + amount·(b − a)` on the RGB planes (alpha from `b`, which carries `a`'s).
    static func blend(from a: Image, to b: Image, amount: Float) -> Image {
        var out = b
        let n = 3 * a.planeCount
        a.pixels.withUnsafeBufferPointer { pa in
            out.pixels.withUnsafeMutableBufferPointer { pb in
                for i in 0..<n { pb[i] = pa[i] + amount * (pb[i] - pa[i]) }
            }
        }
        return out
    }

    /// Enhances a working-space (linear) image; the result is in the working space.
    public func enhance(_ working: Image) -> Result {
        var r = enhanceEncoded(ColorPipeline.fromWorking(working, to: .sRGB))
        r.image = ColorPipeline.toWorking(r.image, from: .sRGB)
        return r
    }
}
