import Foundation
import LuxTensor

/// Options of ``HDRTrainer``.
public struct HDRTrainerOptions: Sendable, Equatable {
    public var batch = 8
    /// Side of the square training crops (multiple of 16).
    public var side = 64
    public var learningRate: Float = 5e-4
    public var seed: UInt64 = 1
    /// Weight of the random-feature perceptual term.
    public var perceptualWeight: Float = 0.5
    /// Weight of the SN-PatchGAN generator term, and the iteration it starts at (the discriminator trains from 0).
    public var adversarialWeight: Float = 0.02
    public var adversarialStart = 300
    public init() {}
}

/// Trains ``HallucinationNet``: loss
/// `L = mean_Ω (log(Ĥ + ε) − log(H + ε))² + λp · ‖Φ(T(Ĥ)) − Φ(T(H))‖² + λa · (−mean D(T(Ĥ) ‖ α))`
/// with Ω the clipped, valid pixels, ε = 1/255, `T(x) = log(1 + 10x) / log 11` (tone-mapped LDR),
/// Φ the frozen ``RandomFeatures``, D the ``PatchDiscriminator`` trained with the hinge loss
/// `½ mean ReLU(1 − D(real)) + ½ mean ReLU(1 + D(fake))`. Adam (β 0.5, 0.999) for both, as DeepFill v2.
/// Each iteration's batch is drawn from an RNG seeded by (seed, iteration), so a checkpoint is the whole state.
public final class HDRTrainer {
    public let config: HDRConfig
    public let options: HDRTrainerOptions
    public let net: HallucinationNet
    public let disc: PatchDiscriminator
    let features = RandomFeatures()
    let data: HDRTrainingData
    let optG: Adam, optD: Adam
    public internal(set) var iteration = 0
    static let epsilon: Float = 1.0 / 255

    public init(config: HDRConfig, options: HDRTrainerOptions, data: HDRTrainingData) {
        self.config = config; self.options = options; self.data = data
        net = HallucinationNet(config: config, seed: options.seed)
        disc = PatchDiscriminator(seed: options.seed &+ 77)
        optG = Adam(net.parameters(), learningRate: options.learningRate, beta1: 0.5, beta2: 0.999)
        optD = Adam(disc.parameters(), learningRate: options.learningRate, beta1: 0.5, beta2: 0.999)
    }

    /// `log(1 + 10x) / log 11`.
    static func toneMap(_ x: Tensor) -> Tensor { (x.clamp(min: 0) * Float(10) + Float(1)).log() * Float(1 / Foundation.log(11.0)) }

    /// One iteration; returns the losses (`log`, `perc`, `adv`, `disc`).
    @discardableResult
    public func step() -> [String: Float] {
        var rng = RNG(seed: options.seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(iteration) &* 0xD1B5_4A32_D192_ED03)
        let b = data.batch(options.batch, side: options.side, maskThreshold: config.maskThreshold, rng: &rng)
        let targetLog = Tensor(shape: b.target.shape, data: b.target.data.map { Foundation.log($0 + Self.epsilon) })
        let tReal = Self.toneMap(b.target)
        let wsum = max(b.weight.data.reduce(0, +), 1)
        let frac = max(b.mask.data.reduce(0, +) / Float(b.mask.count), 0.02)

        let raw = net(HallucinationNet.input(linear: b.linear, mask: b.mask))
        let h = HallucinationNet.compose(linear: b.linear, mask: b.mask, raw: raw)
        let d = (h + Self.epsilon).log() - targetLog
        let lLog = (d * d * b.weight).sum() * (1 / wsum)
        let tFake = Self.toneMap(h)
        let lPerc = Losses.mse(features(tFake), features(tReal)) * (1 / frac)

        // Discriminator (hinge), on the tone-mapped LDR with the mask.
        let real = Tensor.concat([tReal, b.mask], axis: 1)
        let fakeD = Tensor.concat([tFake.detached(), b.mask], axis: 1)
        let lD = (Float(1) - disc(real)).relu().mean() * Float(0.5) + (disc(fakeD) + Float(1)).relu().mean() * Float(0.5)
        disc.zeroGrad(); lD.backward(); optD.step()

        var total = lLog + lPerc * options.perceptualWeight
        var adv: Float = 0
        if iteration >= options.adversarialStart && options.adversarialWeight > 0 {
            let lAdv = -disc(Tensor.concat([tFake, b.mask], axis: 1)).mean()
            adv = lAdv.item
            total = total + lAdv * options.adversarialWeight
        }
        net.zeroGrad(); total.backward(); optG.step()
        disc.zeroGrad()
        iteration += 1
        return ["log": lLog.item, "perc": lPerc.item, "adv": adv, "disc": lD.item]
    }

    /// The log-domain loss of the current network on `batch` (no gradients), for monitoring and tests.
    public func logLoss(on b: HDRTrainingData.Batch) -> Float {
        GradMode.withoutGrad {
            let h = HallucinationNet.compose(linear: b.linear, mask: b.mask, raw: net(HallucinationNet.input(linear: b.linear, mask: b.mask)))
            var se: Float = 0
            for i in 0..<h.count where b.weight.data[i] > 0 {
                let d = Foundation.log(h.data[i] + Self.epsilon) - Foundation.log(b.target.data[i] + Self.epsilon)
                se += d * d * b.weight.data[i]
            }
            return se / max(b.weight.data.reduce(0, +), 1)
        }
    }

    /// The inference model (F16 for shipping).
    public func saveModel(to url: URL, dtype: SafeTensors.DType = .f16, extraMetadata: [String: String] = [:]) throws {
        var meta = config.metadata.merging(extraMetadata) { a, _ in a }
        meta["lux.hdr.iteration"] = "\(iteration)"
        try SafeTensors.write(net.namedParameters(), to: url, dtype: dtype, metadata: meta)
    }

    /// A checkpoint: both networks and both Adam states (F32), iteration and seed. The discriminator's
    /// spectral-norm vectors `u` are not stored (``LuxTensor/SpectralNorm`` keeps them private); after a
    /// resume they are re-estimated by the power iteration within a few steps.
    public func saveCheckpoint(to url: URL) throws {
        var t = net.namedParameters() + disc.namedParameters()
        t += optG.stateTensors().map { ("opt.g." + $0.0, $0.1) } + optD.stateTensors().map { ("opt.d." + $0.0, $0.1) }
        try TrainingCheckpoint.write(t, metadata: config.metadata, iteration: iteration, seed: options.seed, to: url)
    }

    public func resume(from url: URL) throws {
        do {
            let ck = try TrainingCheckpoint.Reader(url)
            guard try HDRConfig(metadata: ck.file.metadata) == config else { throw HDRError.badModel("\(url.path): checkpoint configuration differs") }
            try ck.restore("", net.namedParameters() + disc.namedParameters())
            try optG.loadState(ck.state("opt.g.")); try optD.loadState(ck.state("opt.d."))
            iteration = ck.iteration
        } catch let e as TrainingCheckpoint.Failure { throw HDRError.badModel("\(url.path): \(e)") }
    }
}
