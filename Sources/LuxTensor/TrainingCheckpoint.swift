import Foundation

/// What every trainer's checkpoint shares: tensors written atomically (temporary file + rename) with
/// the iteration and seed in the metadata, and on resume the named parameters restored by prefix and
/// optimiser states split out by prefix. Each trainer decides what goes in (networks, optimisers,
/// replay pools) and checks its own configuration.
public enum TrainingCheckpoint {
    public enum Failure: Error, CustomStringConvertible {
        case noIteration, missing(String)
        public var description: String {
            switch self {
            case .noIteration: "no iteration"
            case .missing(let name): "missing or misshapen \(name)"
            }
        }
    }

    /// Writes `tensors` (F32) with `metadata` plus `lux.train.iteration` and `lux.train.seed`, atomically.
    public static func write(_ tensors: [(String, Tensor)], metadata: [String: String], iteration: Int, seed: UInt64,
                             to url: URL) throws {
        var meta = metadata
        meta["lux.train.iteration"] = "\(iteration)"
        meta["lux.train.seed"] = "\(seed)"
        try SafeTensors.write(tensors, to: url, dtype: .f32, metadata: meta)
    }

    /// A checkpoint file opened for resuming.
    public struct Reader {
        public let file: SafeTensors.File
        public let tensors: [String: Tensor]
        public let iteration: Int

        public init(_ url: URL) throws {
            file = try SafeTensors.read(from: url)
            guard let it = file.metadata["lux.train.iteration"].flatMap(Int.init) else { throw Failure.noIteration }
            tensors = file.dictionary
            iteration = it
        }

        /// Copies the stored `prefix + name` into each parameter (shapes must match).
        public func restore(_ prefix: String, _ params: [(String, Tensor)]) throws {
            for (name, p) in params {
                guard let t = tensors[prefix + name], t.shape == p.shape else { throw Failure.missing(prefix + name) }
                p.data = t.data
            }
        }

        /// The stored tensors under `prefix`, the prefix dropped (an optimiser's state).
        public func state(_ prefix: String) -> [String: Tensor] {
            Dictionary(tensors.filter { $0.key.hasPrefix(prefix) }.map { (String($0.key.dropFirst(prefix.count)), $0.value) },
                       uniquingKeysWith: { a, _ in a })
        }
    }
}
