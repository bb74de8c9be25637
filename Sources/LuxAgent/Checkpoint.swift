import Foundation
import LuxTensor

/// Checkpoints and model files of ``AgentTrainer``.
///
/// A checkpoint is one F32 safetensors file: actor (`actor.*`), value (`value.*`) and critic
/// (`critic.*`) weights, the three Adam states (`opt.actor.*`, `opt.value.*`, `opt.critic.*`), the
/// critic's spectral-normalisation vectors (`critic.sn*.u`), the
/// replay pool (`pool.images`, `pool.meta`), and in `__metadata__` the iteration, seed, mode and the
/// agent configuration. The per-iteration RNG is derived from (seed, iteration), so this is the whole state.
extension AgentTrainer {
    /// Writes the inference model: the actor's weights and the configuration (F16 for shipping).
    public func saveModel(to url: URL, dtype: SafeTensors.DType = .f16, extraMetadata: [String: String] = [:]) throws {
        var meta = config.metadata.merging(extraMetadata) { a, _ in a }
        meta["lux.agent.iteration"] = "\(iteration)"
        meta["lux.agent.mode"] = options.mode.rawValue
        try SafeTensors.write(actor.namedParameters(), to: url, dtype: dtype, metadata: meta)
    }

    public func saveCheckpoint(to url: URL) throws {
        var tensors: [(String, Tensor)] = actor.namedParameters()
        tensors += value.namedParameters().map { ("value." + $0.0, $0.1) }
        tensors += critic.namedParameters().map { ("critic." + $0.0, $0.1) }
        tensors += critic.spectralState().map { ("critic." + $0.0, $0.1) }
        tensors += actorOpt.stateTensors().map { ("opt.actor." + $0.0, $0.1) }
        tensors += valueOpt.stateTensors().map { ("opt.value." + $0.0, $0.1) }
        tensors += criticOpt.stateTensors().map { ("opt.critic." + $0.0, $0.1) }
        if !pool.isEmpty {
            let side = config.thumbnail
            tensors.append(("pool.images", Tensor(shape: [pool.count, 3, side, side], data: pool.flatMap(\.image))))
            tensors.append(("pool.meta", Tensor(shape: [pool.count, 1 + config.filters.count],
                                                data: pool.flatMap { [Float($0.step)] + $0.used.map { $0 ? 1 : 0 } })))
        }
        var meta = config.metadata
        meta["lux.train.mode"] = options.mode.rawValue
        try TrainingCheckpoint.write(tensors, metadata: meta, iteration: iteration, seed: options.seed, to: url)
    }

    /// Restores a checkpoint written by ``saveCheckpoint(to:)`` (same configuration required).
    public func resume(from url: URL) throws {
        do {
            let ck = try TrainingCheckpoint.Reader(url)
            guard try AgentConfig(metadata: ck.file.metadata) == config else { throw AgentError.badModel("\(url.path): checkpoint configuration differs") }
            try ck.restore("", actor.namedParameters())
            try ck.restore("value.", value.namedParameters())
            try ck.restore("critic.", critic.namedParameters())
            try ck.restore("critic.", critic.spectralState())
            try actorOpt.loadState(ck.state("opt.actor."))
            try valueOpt.loadState(ck.state("opt.value."))
            try criticOpt.loadState(ck.state("opt.critic."))
            restorePool(ck.tensors)
            iteration = ck.iteration
        } catch let e as TrainingCheckpoint.Failure { throw AgentError.badModel("\(url.path): \(e)") }
    }

    /// The replay pool from a checkpoint's `pool.images` / `pool.meta` (empty when absent).
    func restorePool(_ d: [String: Tensor]) {
        pool = []
        if let imgs = d["pool.images"], let meta = d["pool.meta"] {
            let n = imgs.shape[0], hw = imgs.count / max(n, 1), m = meta.shape[1]
            for i in 0..<n {
                pool.append((Array(imgs.data[(i * hw)..<((i + 1) * hw)]), Int(meta.data[i * m]), (1..<m).map { meta.data[i * m + $0] > 0.5 }))
            }
        }
    }
}
