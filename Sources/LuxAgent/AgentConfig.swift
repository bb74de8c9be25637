import Foundation
import LuxFilters

/// Hyper-parameters of the white-box agent (Hu et al. 2018, §4-§6), stored in a model file's
/// safetensors `__metadata__` under `lux.agent.*` so that the file is self-describing.
public struct AgentConfig: Sendable, Equatable {
    /// Filter ids the agent chooses from, in the paper's order (exposure, gamma, white balance,
    /// saturation, tone curve, colour curves, contrast, black & white). Action `filters.count` is **stop**.
    public var filters: [String]
    /// Most filters applied to one photo.
    public var maxSteps: Int
    /// Penalty on the reward for choosing a filter already used (training only; inference masks it).
    public var reusePenalty: Float
    /// Side of the square thumbnail the agent looks at.
    public var thumbnail: Int
    /// Channels of the first convolution (doubling up to `4·baseChannels`); the paper uses 32.
    public var baseChannels: Int
    /// Width of the fully connected feature layer.
    public var featureDim: Int
    /// Hidden width of each filter's parameter head (FC -> hidden -> n_params).
    public var headDim: Int
    /// Dropout on features (training; inference only with a seed, for `--variants`).
    public var dropout: Float

    public init(filters: [String] = AgentConfig.paperFilters, maxSteps: Int = 5, reusePenalty: Float = 1,
                thumbnail: Int = 64, baseChannels: Int = 32, featureDim: Int = 128, headDim: Int = 128, dropout: Float = 0.5) {
        self.filters = filters; self.maxSteps = maxSteps; self.reusePenalty = reusePenalty; self.thumbnail = thumbnail
        self.baseChannels = baseChannels; self.featureDim = featureDim; self.headDim = headDim; self.dropout = dropout
    }

    /// The paper's 8 filters in its order.
    public static let paperFilters = ["exposure", "gamma", "whiteBalance", "saturation", "toneCurve", "colorCurves", "contrast", "blackWhite"]

    /// Number of actions: one per filter plus stop.
    public var actionCount: Int { filters.count + 1 }
    /// The stop action's index.
    public var stopAction: Int { filters.count }
    /// Input planes of the agent's networks: RGB + step count + one "used" plane per filter.
    public var stateChannels: Int { 3 + 1 + filters.count }

    public func filterTypes() throws -> [any Filter.Type] {
        try filters.map { id in
            guard let f = FilterRegistry.filter(id: id) else { throw AgentError.badModel("unknown filter '\(id)'") }
            return f
        }
    }

    /// `__metadata__` entries.
    public var metadata: [String: String] {
        ["lux.agent.filters": filters.joined(separator: ","), "lux.agent.maxSteps": "\(maxSteps)",
         "lux.agent.reusePenalty": "\(reusePenalty)", "lux.agent.thumbnail": "\(thumbnail)",
         "lux.agent.baseChannels": "\(baseChannels)", "lux.agent.featureDim": "\(featureDim)",
         "lux.agent.headDim": "\(headDim)", "lux.agent.dropout": "\(dropout)"]
    }

    /// Reads a configuration back from `__metadata__`; throws ``AgentError/badModel(_:)`` if a key is missing.
    public init(metadata m: [String: String]) throws {
        func get(_ k: String) throws -> String {
            guard let v = m["lux.agent." + k] else { throw AgentError.badModel("metadata lacks lux.agent.\(k)") }
            return v
        }
        func int(_ k: String) throws -> Int {
            guard let v = Int(try get(k)) else { throw AgentError.badModel("lux.agent.\(k) is not an integer") }
            return v
        }
        func float(_ k: String) throws -> Float {
            guard let v = Float(try get(k)) else { throw AgentError.badModel("lux.agent.\(k) is not a number") }
            return v
        }
        self.init(filters: try get("filters").split(separator: ",").map(String.init), maxSteps: try int("maxSteps"),
                  reusePenalty: try float("reusePenalty"), thumbnail: try int("thumbnail"), baseChannels: try int("baseChannels"),
                  featureDim: try int("featureDim"), headDim: try int("headDim"), dropout: try float("dropout"))
        _ = try filterTypes()
    }
}
