import Foundation

/// Hyper-parameters of the hallucination network, stored in a model file's safetensors
/// `__metadata__` under `lux.hdr.*` so that the file is self-describing.
public struct HDRConfig: Sendable, Equatable {
    /// Channels of the first level (doubling twice: c, 2c, 4c).
    public var baseChannels: Int
    /// Longest side the network runs at (bounded size); larger photos are reduced for the prediction only.
    public var maxSide: Int
    /// Soft-mask threshold τ on encoded values (``InverseCamera/softMask(_:crf:threshold:)``).
    public var maskThreshold: Float

    public init(baseChannels: Int = 16, maxSide: Int = 512, maskThreshold: Float = InverseCamera.defaultMaskThreshold) {
        self.baseChannels = baseChannels; self.maxSide = maxSide; self.maskThreshold = maskThreshold
    }

    public var metadata: [String: String] {
        ["lux.hdr.baseChannels": "\(baseChannels)", "lux.hdr.maxSide": "\(maxSide)", "lux.hdr.maskThreshold": "\(maskThreshold)"]
    }

    /// Reads a configuration back from `__metadata__`; throws ``HDRError/badModel(_:)`` if a key is missing.
    public init(metadata m: [String: String]) throws {
        guard let c = m["lux.hdr.baseChannels"].flatMap(Int.init), let s = m["lux.hdr.maxSide"].flatMap(Int.init),
              let t = m["lux.hdr.maskThreshold"].flatMap(Float.init), c > 0, s >= 16, t > 0, t < 1 else {
            throw HDRError.badModel("metadata lacks valid lux.hdr.baseChannels / maxSide / maskThreshold")
        }
        self.init(baseChannels: c, maxSide: s, maskThreshold: t)
    }
}

public enum HDRError: Error, CustomStringConvertible, Equatable {
    case noModel(String)
    case badModel(String)
    case noData(String)

    public var description: String {
        switch self {
        case .noModel(let m): "no HDR model: \(m)"
        case .badModel(let m): "bad HDR model: \(m)"
        case .noData(let m): "no training data: \(m)"
        }
    }
}
