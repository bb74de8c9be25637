import ArgumentParser
import Foundation
import LuxAgent
import LuxFilters
import LuxHistogram

/// The engines behind `lux enhance --engine`.
public enum EnhanceEngine: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// The white-box agent (a recipe of filters).
    case agent
    /// The 3-D histogram network + Pitié transfer + regrain (``LuxHistogram/HistogramEnhancer``).
    case histogram

    /// What `lux enhance --engine histogram` prints after each output name.
    static let histogramDescription = "histogram engine (predicted 3-D histogram, Pitié transfer, regrain)"
}

extension Enhancer {
    /// The histogram engine with the model at `model` (default: the embedded one). The result has an
    /// empty recipe; its thumbnails are the input's and the output's 64 px views. A `seed` picks the
    /// rotation sequence of the transfer (nil: seed 0).
    public static func histogram(model: String?) throws -> Enhancer {
        let net = try model.map { try HistogramNet(contentsOf: URL(fileURLWithPath: $0)) } ?? HistogramNet.loadDefault()
        let base = HistogramEnhancer(net: net)
        return Enhancer { image, seed in
            var engine = base
            engine.transfer.seed = seed ?? 0
            let out = engine.enhance(image).image
            return EnhanceResult(image: out, recipe: Recipe(), thumbnails: [image.thumbnail(maxSide: 64), out.thumbnail(maxSide: 64)])
        }
    }
}
