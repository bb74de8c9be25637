import Foundation
import LuxAdjust
import LuxAgent
import LuxCLI
import LuxCorrect
import LuxHDR

/// The models one instance serves, loaded once at start (the embedded defaults, or given files).
/// Read-only afterwards, so concurrent jobs share them.
public struct Engines: Sendable {
    public var agent: Enhancer
    public var histogram: Enhancer
    public var corrector: ExposureCorrector
    public var hdr: HDRModel
    /// One local-effect model per ``AdjustEffect`` (`lux adjust`).
    public var adjusters: [AdjustEffect: PhotoAdjuster]

    public init(agent: Enhancer, histogram: Enhancer, corrector: ExposureCorrector, hdr: HDRModel, adjusters: [AdjustEffect: PhotoAdjuster]) {
        self.agent = agent; self.histogram = histogram; self.corrector = corrector; self.hdr = hdr; self.adjusters = adjusters
    }

    /// The embedded default models of LuxAgent, LuxHistogram, LuxCorrect, LuxHDR and LuxAdjust.
    public static func loadDefault() throws -> Engines {
        Engines(agent: Enhancer(agent: try EnhanceAgent.loadDefault(), output: .sRGB),
                histogram: try Enhancer.histogram(model: nil),
                corrector: try ExposureCorrector.loadDefault(),
                hdr: try HDRModel.loadDefault(),
                adjusters: Dictionary(uniqueKeysWithValues: try AdjustEffect.allCases.map { ($0, try PhotoAdjuster.loadDefault($0)) }))
    }
}
