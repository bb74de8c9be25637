import Foundation
import LuxImage
import LuxTensor

/// Options of ``AdjustTrainer``.
public struct AdjustTrainingOptions: Sendable {
    public var iterations = 1500
    /// Photos per step.
    public var batch = 4
    /// Randomly sampled pixels per photo per step (the paper: 2048).
    public var pixels = 2048
    /// Largest rotation of the augmentation, degrees (plus a random horizontal flip).
    public var maxRotation: Float = 5
    /// Adam learning rate, halved at 60 % and again at 85 % of the run.
    public var learningRate: Float = 2e-3
    /// Huber δ in units of ``AdjustNetwork/labScale`` (1 = 10 Lab units).
    public var huberDelta: Float = 1
    /// Class reweighting of the maps (``MapReweighting``); off trains with uniform pixel weights.
    public var reweight = true
    /// Weight of the auxiliary foreground loss (``ForegroundLabel``: the subject presets' total map weight against
    /// pseudo-labels read off the first target); 0 (the default) trains without it.
    public var foregroundWeight: Float = 0
    public var seed: UInt64 = 1
    public init() {}

    public func learningRate(at it: Int) -> Float {
        let f = Float(it) / Float(max(iterations, 1))
        return f < 0.6 ? learningRate : (f < 0.85 ? learningRate / 2 : learningRate / 4)
    }
}

/// Trains ``AdjustNetwork`` on one effect, or on several at once (one network per target of the photos,
/// sharing the context branch and the map head; the losses are summed): per step, `batch` photos, each flipped/rotated at random, with
/// `pixels` random pixels whose residual Lab colour is fitted with the map-reweighted Huber loss
/// (``MapReweighting``). The per-iteration RNG is derived from (seed, iteration), so a checkpoint is the whole state.
public final class AdjustTrainer {
    public let config: AdjustConfig
    public let options: AdjustTrainingOptions
    public let photos: [AdjustPhoto]
    /// One network per target (the first is ``network``); all share the context branch and the map head.
    public let networks: [AdjustNetwork]
    public var network: AdjustNetwork { networks[0] }
    let opt: Adam
    public internal(set) var iteration = 0
    /// ``ForegroundLabel/planes(input:target:width:height:)`` of each photo's first target (empty unless
    /// ``AdjustTrainingOptions/foregroundWeight`` > 0).
    public let foreground: [[Float]]

    public init(config: AdjustConfig, options: AdjustTrainingOptions, photos: [AdjustPhoto]) {
        precondition(!photos.isEmpty, "no training photos")
        self.config = config; self.options = options; self.photos = photos
        let first = AdjustNetwork(config: config, seed: options.seed)
        networks = [first] + (1..<photos[0].targets.count).map { AdjustNetwork(sharing: first, seed: options.seed &+ UInt64($0) &* 7919) }
        foreground = options.foregroundWeight > 0
            ? photos.map { ForegroundLabel.planes(input: $0.inputLab, target: $0.targetLab, width: $0.width, height: $0.height) } : []
        opt = Adam(first.parameters() + networks.dropFirst().flatMap { $0.bilinear.parameters() + ($0.presets?.parameters() ?? []) },
                   learningRate: options.learningRate)
    }

    /// Loss of one augmented photo's sampled pixels (summed over the effects, plus ``AdjustTrainingOptions/foregroundWeight``
    /// times the foreground loss on `foreground`'s labels when given); also the first effect's mean Lab distance.
    public func loss(_ photo: AdjustPhoto, warp: AdjustWarp, positions: [SIMD2<Float>], foreground: [Float]? = nil) -> (loss: Tensor, labL2: Float) {
        let ctx = network.context(photo.levels.map(warp.warped))
        let levels = EdgeAwareSmoothing.levels.count, n3 = 3 * photo.width * photo.height
        var inLab: [SIMD3<Float>] = [], targets = [[Float]](repeating: [], count: networks.count)
        var fgLabel: [Float] = [], fgConfidence: [Float] = []
        var smooth = [[SIMD3<Float>]](repeating: [], count: levels)
        inLab.reserveCapacity(positions.count)
        for p in positions {
            let s = warp.source(p)
            inLab.append(AdjustWarp.sample(photo.baseLab, width: photo.width, height: photo.height, at: s))
            for l in 0..<levels {
                smooth[l].append(AdjustWarp.sample(photo.smoothLab, offset: l * n3, width: photo.width, height: photo.height, at: s))
            }
            for e in networks.indices {
                let t = AdjustWarp.sample(photo.targets[e], width: photo.width, height: photo.height, at: s)
                targets[e] += [t.x, t.y, t.z]
            }
            if let foreground {
                let f = AdjustWarp.sample(foreground, width: photo.width, height: photo.height, at: s)
                fgLabel.append(f.x); fgConfidence.append(f.y)
            }
        }
        let k = 1 / AdjustNetwork.labScale
        let base = Tensor(shape: [positions.count, 3], data: inLab.flatMap { [$0.x * k, $0.y * k, $0.z * k] })
        var total: Tensor? = nil, dist: Float = 0
        for (e, net) in networks.enumerated() {
            let (res, maps) = net.predict(ctx, positions: positions, width: photo.width, height: photo.height, lab: inLab, smooth: smooth)
            let pred = base + res
            let tgt = Tensor(shape: [positions.count, 3], data: targets[e].map { $0 * k })
            let weights = options.reweight ? MapReweighting.weights(maps.detached()) : Tensor(repeating: 1, shape: [positions.count])
            let l = MapReweighting.weightedHuber(pred, tgt, weights: weights, delta: options.huberDelta)
            total = total.map { $0 + l } ?? l
            if e == 0, foreground != nil, options.foregroundWeight > 0 {
                let g = ForegroundLabel.subjectPresets(maps: config.maps)
                total = total! + ForegroundLabel.loss(maps: maps, labels: fgLabel, confidence: fgConfidence, subjectPresets: g) * options.foregroundWeight
            }
            if e == 0 {
                for i in 0..<positions.count {
                    let d0 = pred.data[3 * i] - tgt.data[3 * i], d1 = pred.data[3 * i + 1] - tgt.data[3 * i + 1], d2 = pred.data[3 * i + 2] - tgt.data[3 * i + 2]
                    dist += (d0 * d0 + d1 * d1 + d2 * d2).squareRoot()
                }
            }
        }
        return (total!, dist / Float(positions.count) * AdjustNetwork.labScale)
    }

    /// One optimisation step; returns the loss and the sampled pixels' mean Lab distance.
    @discardableResult
    public func step() -> (loss: Float, labL2: Float) {
        var rng = RNG(seed: options.seed ^ (UInt64(iteration + 1) &* 0x9E37_79B9_7F4A_7C15))
        opt.learningRate = options.learningRate(at: iteration)
        var total: Tensor? = nil, dist: Float = 0
        for _ in 0..<options.batch {
            let index = Int(rng.next() % UInt64(photos.count)), photo = photos[index]
            let warp = AdjustWarp(flip: rng.uniform() < 0.5, angle: rng.uniform(-1, 1) * options.maxRotation * .pi / 180,
                                  width: photo.width, height: photo.height)
            let positions = (0..<options.pixels).map { _ in
                SIMD2(Float(rng.next() % UInt64(photo.width)), Float(rng.next() % UInt64(photo.height)))
            }
            let (l, d) = loss(photo, warp: warp, positions: positions, foreground: foreground.isEmpty ? nil : foreground[index])
            total = total.map { $0 + l } ?? l
            dist += d
        }
        let mean = total! * (1 / Float(options.batch))
        for net in networks { net.zeroGrad() }
        mean.backward()
        opt.step()
        iteration += 1
        return (mean.item, dist / Float(options.batch))
    }

    /// Writes the inference model of target `index` (F16 for shipping): a standalone model.
    public func saveModel(to url: URL, index: Int = 0, dtype: SafeTensors.DType = .f16, extraMetadata: [String: String] = [:]) throws {
        var meta = config.metadata.merging(extraMetadata) { a, _ in a }
        meta["lux.adjust.iteration"] = "\(iteration)"
        try SafeTensors.write(networks[index].namedParameters(), to: url, dtype: dtype, metadata: meta)
    }

    /// The other targets' bilinear poolings, named `target<e>.bilinear.*` in checkpoints.
    var extraHeads: [(String, Tensor)] {
        networks.enumerated().dropFirst().flatMap { e, net in
            net.bilinear.namedParameters().map { ("target\(e).bilinear.\($0.0)", $0.1) }
                + (net.presets?.namedParameters() ?? []).map { ("target\(e).presets.\($0.0)", $0.1) }
        }
    }

    /// A checkpoint: weights, Adam state, iteration and seed (F32).
    public func saveCheckpoint(to url: URL) throws {
        try TrainingCheckpoint.write(network.namedParameters() + extraHeads + opt.stateTensors().map { ("opt." + $0.0, $0.1) },
                                     metadata: config.metadata, iteration: iteration, seed: options.seed, to: url)
    }

    /// Restores a checkpoint written by ``saveCheckpoint(to:)`` (same configuration required).
    public func resume(from url: URL) throws {
        do {
            let ck = try TrainingCheckpoint.Reader(url)
            guard try AdjustConfig(metadata: ck.file.metadata) == config else { throw AdjustError.badModel("\(url.path): checkpoint configuration differs") }
            try ck.restore("", network.namedParameters() + extraHeads)
            try opt.loadState(ck.state("opt."))
            iteration = ck.iteration
        } catch let e as TrainingCheckpoint.Failure { throw AdjustError.badModel("\(url.path): \(e)") }
    }
}
