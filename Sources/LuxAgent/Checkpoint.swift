import Foundation
import LuxTensor

/// Checkpoints and model files of ``AgentTrainer``.
///
/// A checkpoint is one F32 safetensors file: actor (`actor.*`), value (`value.*`) and critic
/// (`critic.*`) weights, the three Adam states (`opt.actor.*`, `opt.value.*`, `opt.critic.*`), the
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
        meta["lux.train.iteration"] = "\(iteration)"
        meta["lux.train.seed"] = "\(options.seed)"
        meta["lux.train.mode"] = options.mode.rawValue
        let tmp = url.appendingPathExtension("tmp")
        try SafeTensors.write(tensors, to: tmp, dtype: .f32, metadata: meta)
        _ = try? FileManager.default.removeItem(at: url)
        try FileManager.default.moveItem(at: tmp, to: url)
    }

    /// Restores a checkpoint written by ``saveCheckpoint(to:)`` (same configuration required).
    public func resume(from url: URL) throws {
        let file = try SafeTensors.read(from: url)
        guard try AgentConfig(metadata: file.metadata) == config else { throw AgentError.badModel("\(url.path): checkpoint configuration differs") }
        guard let it = file.metadata["lux.train.iteration"].flatMap(Int.init) else { throw AgentError.badModel("\(url.path): no iteration") }
        let d = file.dictionary
        func restore(_ prefix: String, _ params: [(String, Tensor)]) throws {
            for (name, p) in params {
                guard let t = d[prefix + name], t.shape == p.shape else { throw AgentError.badModel("\(url.path): missing or misshapen \(prefix + name)") }
                p.data = t.data
            }
        }
        try restore("", actor.namedParameters())
        try restore("value.", value.namedParameters())
        try restore("critic.", critic.namedParameters())
        func opt(_ prefix: String) -> [String: Tensor] {
            Dictionary(d.filter { $0.key.hasPrefix(prefix) }.map { (String($0.key.dropFirst(prefix.count)), $0.value) }, uniquingKeysWith: { a, _ in a })
        }
        try actorOpt.loadState(opt("opt.actor."))
        try valueOpt.loadState(opt("opt.value."))
        try criticOpt.loadState(opt("opt.critic."))
        pool = []
        if let imgs = d["pool.images"], let meta = d["pool.meta"] {
            let n = imgs.shape[0], hw = imgs.count / max(n, 1), m = meta.shape[1]
            for i in 0..<n {
                pool.append((Array(imgs.data[(i * hw)..<((i + 1) * hw)]), Int(meta.data[i * m]), (1..<m).map { meta.data[i * m + $0] > 0.5 }))
            }
        }
        iteration = it
    }
}
