import Foundation

/// Shape of the multi-scale exposure-correction network (Afifi et al. 2021, §3), stored in a model
/// file's safetensors `__metadata__` under `lux.correct.*` so that the file is self-describing.
///
/// The paper: 4 pyramid levels; U-Net depths 3, 3, 3, 4 (finest to coarsest) with first-layer channels
/// 16, 24, 24, 24 (7.0 M parameters). Lux's default keeps the depths and narrows the channels to
/// 4, 8, 12, 16 so that it trains on two CPU cores (shared with other jobs).
public struct CorrectConfig: Sendable, Equatable {
    /// First-layer channels of each level's U-Net, finest level first.
    public var channels: [Int]
    /// Encoder depth (pooling steps) of each level's U-Net, finest level first.
    public var depths: [Int]

    public init(channels: [Int] = [4, 8, 12, 16], depths: [Int] = [3, 3, 3, 4]) {
        precondition(channels.count == depths.count && channels.count >= 2, "one channel count and one depth per level, at least 2 levels")
        self.channels = channels; self.depths = depths
    }

    /// The paper's sizes (7.0 M parameters).
    public static let paper = CorrectConfig(channels: [16, 24, 24, 24], depths: [3, 3, 3, 4])

    /// Pyramid levels (the paper: 4).
    public var levels: Int { channels.count }

    /// Side lengths the network accepts must be multiples of this: every level's U-Net halves its
    /// input `depth` times, and level `l` (0 = finest) is `2^l` times smaller than the image.
    public var sizeMultiple: Int {
        (0..<levels).map { (1 << $0) * (1 << depths[$0]) }.max()!
    }

    /// `__metadata__` entries.
    public var metadata: [String: String] {
        ["lux.correct.channels": channels.map(String.init).joined(separator: ","),
         "lux.correct.depths": depths.map(String.init).joined(separator: ",")]
    }

    /// Reads a configuration back from `__metadata__`.
    public init(metadata m: [String: String]) throws {
        func ints(_ k: String) throws -> [Int] {
            guard let v = m["lux.correct." + k] else { throw CorrectError.badModel("metadata lacks lux.correct.\(k)") }
            let xs = v.split(separator: ",").compactMap { Int($0) }
            guard !xs.isEmpty, xs.allSatisfy({ $0 > 0 && $0 <= 512 }) else { throw CorrectError.badModel("lux.correct.\(k) is not a list of sizes") }
            return xs
        }
        let c = try ints("channels"), d = try ints("depths")
        guard c.count == d.count, c.count >= 2, d.allSatisfy({ $0 <= 6 }) else { throw CorrectError.badModel("lux.correct.channels and depths do not match") }
        self.init(channels: c, depths: d)
    }
}

/// Errors from loading or running the corrector; `description` is one line for the CLI.
public enum CorrectError: Error, CustomStringConvertible, Equatable {
    case noModel(String)
    case badModel(String)
    case badScales(String)
    case noData(String)

    public var description: String {
        switch self {
        case .noModel(let s): s
        case .badModel(let s): "invalid correction model: \(s)"
        case .badScales(let s): s
        case .noData(let s): s
        }
    }
}
