import Foundation
import LuxImage
import LuxTensor

/// One stage of the progressive patch schedule (Afifi et al. train 128 -> 256 -> 512 px patches).
public struct TrainingStage: Sendable, Equatable {
    public var height: Int, width: Int, batch: Int, iterations: Int
    public init(height: Int, width: Int, batch: Int, iterations: Int) {
        self.height = height; self.width = width; self.batch = batch; self.iterations = iterations
    }
}

/// Options of ``CorrectTrainer``.
public struct CorrectTrainingOptions: Sendable {
    /// The stages, run in order; each restarts the learning rate at `learningRate` and halves it
    /// halfway through (the paper halves every 1/2 to 1/4 of a stage).
    public var stages: [TrainingStage]
    /// Adam learning rate of the network (the paper: 1e-4); the discriminator uses a tenth of it.
    public var learningRate: Float = 5e-4
    /// Weight of the non-saturating adversarial term `softplus(−D(Ŷ))` (0: no discriminator).
    public var adversarialWeight: Float = 0
    /// First iteration with the adversarial term (the paper starts it late in stages 2 and 3).
    public var adversarialFrom: Int = 0
    public var seed: UInt64 = 1

    public init(stages: [TrainingStage]) { self.stages = stages }

    /// Default schedule for the bundled 500x332 photos: 128², 256², then 256x384 (the largest crop
    /// the photos allow that the network accepts, in place of the paper's 512²).
    public static func defaultStages(iterations: [Int]) -> [TrainingStage] {
        let shapes = [(128, 128, 8), (256, 256, 4), (256, 384, 2)]
        return zip(shapes, iterations).map { TrainingStage(height: $0.0, width: $0.1, batch: $0.2, iterations: $1) }
    }

    public var totalIterations: Int { stages.reduce(0) { $0 + $1.iterations } }

    /// The stage of iteration `it` (0-based) and the iteration within it.
    public func stage(at it: Int) -> (index: Int, local: Int) {
        var rest = it
        for (i, s) in stages.enumerated() {
            if rest < s.iterations { return (i, rest) }
            rest -= s.iterations
        }
        return (stages.count - 1, stages.last!.iterations)
    }
}

/// The discriminator of the adversarial loss: four 4x4 stride-2 convolutions (8, 16, 32, 64
/// channels, LeakyReLU 0.2), a 1x1 convolution to one logit per position, averaged: [N, 3, H, W] -> [N].
/// (Smaller than the paper's 7-block, 0.96 M-parameter network, which resizes its input to 256².)
public final class PatchDiscriminator: Module {
    public let convs: [Conv2d]
    public let head: Conv2d
    public init(seed: UInt64) {
        let ch = [3, 8, 16, 32, 64]
        convs = (0..<4).map { Conv2d(ch[$0], ch[$0 + 1], kernelSize: 4, stride: 2, padding: 1, seed: seed &+ UInt64($0)) }
        head = Conv2d(64, 1, kernelSize: 1, seed: seed &+ 99)
    }
    public func namedParameters() -> [(String, Tensor)] {
        convs.enumerated().flatMap { i, c in c.namedParameters().map { ("conv\(i).\($0.0)", $0.1) } }
            + head.namedParameters().map { ("head.\($0.0)", $0.1) }
    }
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x
        for c in convs { h = c(h).leakyReLU(0.2) }
        return head(h).mean(axes: [1, 2, 3])
    }
}

/// Trains ``CorrectNetwork`` with the paper's losses:
/// - reconstruction `L_rec = mean |Ŷ − T|`;
/// - pyramid `L_pyr = Σ_{l≥1} w_l · mean |u[l] − expand(G_l(T))|` with `w_l = 2^-(l-1)` (1, 1/2, 1/4:
///   the paper's per-level weights 1, 2, 4 on sums over levels with 4x fewer pixels each, expressed as means);
/// - adversarial (optional, from ``CorrectTrainingOptions/adversarialFrom``): `λ · mean softplus(−D(Ŷ))`,
///   D trained on `softplus(−D(T)) + softplus(D(Ŷ))`.
/// Adam (β 0.9, 0.999); the per-iteration RNG is derived from (seed, iteration), so a checkpoint is the whole state.
public final class CorrectTrainer {
    public let config: CorrectConfig
    public let options: CorrectTrainingOptions
    public let data: TrainingPairs
    public let network: CorrectNetwork
    public let discriminator: PatchDiscriminator
    let opt: Adam
    let discOpt: Adam
    public internal(set) var iteration = 0

    public init(config: CorrectConfig, options: CorrectTrainingOptions, data: TrainingPairs) {
        self.config = config; self.options = options; self.data = data
        network = CorrectNetwork(config: config, seed: options.seed)
        discriminator = PatchDiscriminator(seed: options.seed &+ 0xD15C)
        opt = Adam(network.parameters(), learningRate: options.learningRate)
        discOpt = Adam(discriminator.parameters(), learningRate: options.learningRate / 10)
    }

    /// Pyramid-loss weight of `u[l]` (l = 1 ..< levels).
    public static func pyramidWeight(_ l: Int) -> Float { 1 / Float(1 << (l - 1)) }

    /// The generator losses on one batch (no parameter update), as scalars plus the total tensor.
    public func losses(inputs: [Image], targets: [Image], adversarial: Bool) -> (total: Tensor, parts: [String: Float], output: Tensor) {
        let n = config.levels
        let L = PyramidTensors.levels(inputs, count: n)
        let T = PyramidTensors.stack(targets)
        let G = PyramidTensors.gaussianTargets(targets, count: n)
        let (y, ups) = network.forward(levels: L)
        let rec = Losses.l1(y, T)
        var pyr = Losses.l1(ups[0], G[0]) * Self.pyramidWeight(1)
        for l in 2..<n { pyr = pyr + Losses.l1(ups[l - 1], G[l - 1]) * Self.pyramidWeight(l) }
        var total = rec + pyr
        var parts: [String: Float] = ["rec": rec.item, "pyr": pyr.item]
        if adversarial {
            let adv = discriminator(y).neg().softplus().mean()
            total = total + adv * options.adversarialWeight
            parts["adv"] = adv.item
        }
        return (total, parts, y)
    }

    /// One optimisation step; returns the loss parts.
    @discardableResult
    public func step() -> [String: Float] {
        let (si, local) = options.stage(at: iteration)
        let stage = options.stages[si]
        let lr = local < stage.iterations / 2 ? options.learningRate : options.learningRate / 2
        opt.learningRate = lr; discOpt.learningRate = lr / 10
        var rng = RNG(seed: options.seed ^ (UInt64(iteration + 1) &* 0x9E37_79B9_7F4A_7C15))
        let (ins, tgs) = data.batch(stage.batch, height: stage.height, width: stage.width, rng: &rng)
        let adversarial = options.adversarialWeight > 0 && iteration >= options.adversarialFrom
        let (total, parts0, y) = losses(inputs: ins, targets: tgs, adversarial: adversarial)
        var parts = parts0
        network.zeroGrad()
        total.backward()
        opt.step()
        if adversarial {
            discriminator.zeroGrad()
            let real = discriminator(PyramidTensors.stack(tgs)).neg().softplus().mean()
            let fake = discriminator(y.detached()).softplus().mean()
            let d = real + fake
            d.backward()
            discOpt.step()
            parts["disc"] = d.item
        }
        iteration += 1
        return parts
    }

    /// Writes the inference model (the network's weights and configuration; F16 for shipping).
    public func saveModel(to url: URL, dtype: SafeTensors.DType = .f16, extraMetadata: [String: String] = [:]) throws {
        var meta = config.metadata.merging(extraMetadata) { a, _ in a }
        meta["lux.correct.iteration"] = "\(iteration)"
        try SafeTensors.write(network.namedParameters(), to: url, dtype: dtype, metadata: meta)
    }

    /// A checkpoint: network and discriminator weights, both Adam states, iteration and seed (F32).
    public func saveCheckpoint(to url: URL) throws {
        var tensors = network.namedParameters()
        tensors += discriminator.namedParameters().map { ("disc." + $0.0, $0.1) }
        tensors += opt.stateTensors().map { ("opt.net." + $0.0, $0.1) }
        tensors += discOpt.stateTensors().map { ("opt.disc." + $0.0, $0.1) }
        try TrainingCheckpoint.write(tensors, metadata: config.metadata, iteration: iteration, seed: options.seed, to: url)
    }

    /// Restores a checkpoint written by ``saveCheckpoint(to:)`` (same configuration required).
    public func resume(from url: URL) throws {
        do {
            let ck = try TrainingCheckpoint.Reader(url)
            guard try CorrectConfig(metadata: ck.file.metadata) == config else { throw CorrectError.badModel("\(url.path): checkpoint configuration differs") }
            try ck.restore("", network.namedParameters())
            try ck.restore("disc.", discriminator.namedParameters())
            try opt.loadState(ck.state("opt.net."))
            try discOpt.loadState(ck.state("opt.disc."))
            iteration = ck.iteration
        } catch let e as TrainingCheckpoint.Failure { throw CorrectError.badModel("\(url.path): \(e)") }
    }
}
