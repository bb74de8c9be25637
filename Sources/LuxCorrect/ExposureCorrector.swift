import Foundation
import LuxImage
import LuxTensor

/// Options of one correction (`lux correct`).
public struct CorrectOptions: Sendable, Equatable {
    /// Per-level multipliers of the input pyramid, finest first (the paper demo's S vector); nil = all 1.
    public var scales: [Float]? = nil
    /// Mertens fusion of the input and the result.
    public var fusion = false
    /// Global 1 % / 99 % histogram stretch of the result.
    public var histogramAdjust = false
    /// Longest side the network runs at; larger photos are box-downscaled, corrected, and the
    /// correction is carried to full resolution by ``GuidedUpsample``.
    public var maxSide = 512
    public init(scales: [Float]? = nil, fusion: Bool = false, histogramAdjust: Bool = false, maxSide: Int = 512) {
        self.scales = scales; self.fusion = fusion; self.histogramAdjust = histogramAdjust; self.maxSide = maxSide
    }
}

/// The exposure corrector behind `lux correct`: sRGB-encoded photo in, corrected sRGB-encoded photo out.
///
/// Per photo: box-downscale to ``CorrectOptions/maxSide`` (only when larger), replicate-pad by
/// ``margin`` on every side and up to a multiple of ``CorrectConfig/sizeMultiple``, Laplacian pyramid (each level times
/// its scale), the network, crop, clip to [0, 1]; when the photo was downscaled, ``GuidedUpsample``
/// applies the correction to the full-resolution pixels. Then the optional fusion and histogram stretch.
public final class ExposureCorrector: @unchecked Sendable {
    public let network: CorrectNetwork
    public var config: CorrectConfig { network.config }
    private let lock = NSLock()

    /// The model shipped in the package's resources.
    public static func loadDefault() throws -> ExposureCorrector {
        guard let url = SafeTensors.bundledModel("correct-default", in: .module) else {
            throw CorrectError.noModel("no embedded default correction model in this build")
        }
        return try ExposureCorrector(contentsOf: url)
    }

    /// Loads a model written by `lux train correct`.
    public init(contentsOf url: URL) throws {
        let file: SafeTensors.File
        do { file = try SafeTensors.read(from: url) } catch { throw CorrectError.badModel("\(url.path): \(error)") }
        let config = try CorrectConfig(metadata: file.metadata)
        network = CorrectNetwork(config: config)
        do { try network.load(from: url, strict: true) } catch { throw CorrectError.badModel("\(url.path): \(error)") }
    }

    /// A corrector around a network in memory (training, tests).
    public init(network: CorrectNetwork) { self.network = network }

    /// Checks a scale vector: one positive finite value per level.
    public func validate(scales: [Float]?) throws {
        guard let s = scales else { return }
        guard s.count == config.levels else { throw CorrectError.badScales("--scales needs \(config.levels) values (finest level first), got \(s.count)") }
        guard s.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 10 }) else { throw CorrectError.badScales("--scales values must lie in 0...10") }
    }

    /// Replicated margin (network pixels) around the photo: the network's convolutions pad with zeros,
    /// which darkens a band of ~10 px along unpadded image edges (measured on 512 px runs); with the
    /// margin those bands fall outside the photo and are cropped away.
    public static let margin = 16

    /// The network's output for `image` (sRGB-encoded RGB, any size) run at the image's own size
    /// (replicate-padded by ``margin`` on every side, then up to the size multiple), clipped to [0, 1].
    public func runNetwork(_ image: Image, scales: [Float]? = nil) -> Image {
        let m = config.sizeMultiple, e = Self.margin
        let pw = (image.width + 2 * e + m - 1) / m * m, ph = (image.height + 2 * e + m - 1) / m * m
        let padded = Self.padReplicate(image, width: pw, height: ph, left: e, top: e)
        let out: Tensor = lock.withLock {
            GradMode.withoutGrad { network.forward(levels: PyramidTensors.levels([padded], count: config.levels, scales: scales)).output }
        }
        let full = PyramidTensors.image(out, sample: 0, colorSpace: image.colorSpace)
        return (try! full.cropped(x: e, y: e, width: image.width, height: image.height)).clamped(to: 0...1)
    }

    /// Corrects `image` (sRGB-encoded values; alpha, if any, is dropped).
    public func correct(_ image: Image, options: CorrectOptions = CorrectOptions()) throws -> Image {
        try validate(scales: options.scales)
        let rgb = image.hasAlpha ? image.rgb() : image
        var result: Image
        if max(rgb.width, rgb.height) > options.maxSide {
            let low = rgb.thumbnail(maxSide: options.maxSide)
            result = GuidedUpsample.apply(lowInput: low, lowOutput: runNetwork(low, scales: options.scales), full: rgb)
        } else {
            result = runNetwork(rgb, scales: options.scales)
        }
        if options.fusion { result = PostProcess.fuse([rgb, result]) }
        if options.histogramAdjust { result = PostProcess.histogramAdjust(result) }
        return result
    }

    /// `image` placed at (`left`, `top`) in a `width` x `height` image, the rest filled by repeating its edge pixels.
    static func padReplicate(_ image: Image, width W: Int, height H: Int, left: Int = 0, top: Int = 0) -> Image {
        if W == image.width && H == image.height { return image }
        var out = Image(width: W, height: H, channels: 3, colorSpace: image.colorSpace)
        let w = image.width, h = image.height
        for c in 0..<3 {
            for y in 0..<H {
                let sy = min(max(y - top, 0), h - 1)
                for x in 0..<W { out.pixels[c * W * H + y * W + x] = image.pixels[c * w * h + sy * w + min(max(x - left, 0), w - 1)] }
            }
        }
        return out
    }
}
