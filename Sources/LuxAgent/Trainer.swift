import Foundation
import LuxImage
import LuxTensor
import LuxFilters

/// How the agent learns.
public enum TrainingMode: String, Sendable {
    /// Paired data. Reward of an action = decrease of the distance to the target,
    /// `D(x) = mean (e(x) − e(target))²` with `e` the display encoding of ``AgentState/encode(_:)``.
    /// Every filter's parameter head is trained by backprop through the differentiable filter to the
    /// distance after its step; the selector by cross-entropy towards the action of largest reward
    /// (stop when no unused filter lowers the distance by at least 1 %); trajectories follow that choice.
    case supervised
    /// Unpaired data, the paper's actor-critic + WGAN (see ``AgentTrainer/adversarialStep(_:)``).
    case adversarial
}

/// Training hyper-parameters beyond the network shape.
public struct TrainerOptions: Sendable {
    public var mode: TrainingMode
    public var batch: Int
    public var learningRate: Float
    public var seed: UInt64
    /// Policy entropy bonus (adversarial).
    public var entropyWeight: Float = 0.05
    /// Weight of the out-of-range penalty on raw parameters, `mean(relu(|raw| − 2)²)`.
    public var rangePenalty: Float = 0.1
    /// Replay pool capacity in states (adversarial).
    public var poolSize: Int = 128
    /// Critic updates per iteration (adversarial; the paper: 5, and 100 in the first 10 iterations).
    public var criticSteps: Int = 1
    /// Critic updates in each of the first 10 iterations (adversarial), so that the first rewards
    /// come from a critic that already tells targets from inputs (the paper: 100).
    public var criticWarmupSteps: Int = 10
    /// Scale of the critic's scores in rewards and in the parameter (DPG) loss: the paper's
    /// `critic_logit_multiplier` 0.05. Without it rewards reach tens (a spectrally normalised critic
    /// on 64x64x6 inputs separates by tens) and the value net's TD error explodes (measured: value
    /// loss 1e3 within 100 iterations on Sintel).
    public var rewardScale: Float = 0.05
    /// Value-net learning rate as a multiple of the actor's (the paper: 10).
    public var valueLearningRateMultiplier: Float = 10
    /// Side of the box-reduced images on which the supervised filter losses are computed (the filters
    /// are global and per-pixel, so a 16 px version ranks and fits them almost as well at 1/16 the cost).
    public var lossSide: Int = 16
    public init(mode: TrainingMode, batch: Int = 8, learningRate: Float = 3e-4, seed: UInt64 = 1) {
        self.mode = mode; self.batch = batch; self.learningRate = learningRate; self.seed = seed
    }
}

/// Trains the actor (and, for the adversarial mode, the value net V and the critic D).
///
/// Every iteration draws its randomness from `RNG(seed ⊕ iteration)`, so a run resumed from a
/// checkpoint (weights, optimiser moments, iteration, replay pool) continues bit-identically.
public final class AgentTrainer {
    public let config: AgentConfig
    public let options: TrainerOptions
    public let data: TrainingData
    public let actor: AgentActor
    public let value: ScalarNet
    public let critic: ScalarNet
    let filterTypes: [any Filter.Type]
    let actorOpt: Adam, valueOpt: Adam, criticOpt: Adam
    public internal(set) var iteration = 0
    /// Replay pool of partial trajectories (adversarial): image [3, S, S], step, used filters.
    var pool: [(image: [Float], step: Int, used: [Bool])] = []

    public init(config: AgentConfig, options: TrainerOptions, data: TrainingData) throws {
        self.config = config; self.options = options; self.data = data
        filterTypes = try config.filterTypes()
        var rng = RNG(seed: options.seed)
        actor = AgentActor(config: config, paramCounts: filterTypes.map { $0.parameters.count }, rng: &rng)
        value = ScalarNet(inChannels: config.stateChannels, config: config, spectral: false, rng: &rng)
        critic = ScalarNet(inChannels: 6, config: config, spectral: true, rng: &rng)
        if options.mode == .adversarial {
            // The paper's Adam(β1 = 0.5, β2 = 0.9) for actor and value too; value at 10x the actor's rate.
            actorOpt = Adam(actor.parameters(), learningRate: options.learningRate, beta1: 0.5, beta2: 0.9)
            valueOpt = Adam(value.parameters(), learningRate: options.learningRate * options.valueLearningRateMultiplier,
                            beta1: 0.5, beta2: 0.9)
        } else {
            actorOpt = Adam(actor.parameters(), learningRate: options.learningRate)
            valueOpt = Adam(value.parameters(), learningRate: options.learningRate)
        }
        criticOpt = Adam(critic.parameters(), learningRate: options.learningRate, beta1: 0.5, beta2: 0.9)
    }

    func iterationRNG() -> RNG { RNG(seed: options.seed ^ (UInt64(iteration + 1) &* 0x9E37_79B9_7F4A_7C15)) }

    /// One training iteration; returns named losses.
    @discardableResult
    public func step() -> [(String, Float)] {
        var rng = iterationRNG()
        let out = options.mode == .supervised ? supervisedStep(&rng) : adversarialStep(&rng)
        iteration += 1
        return out
    }

    // MARK: supervised

    static func distance(_ x: Tensor, _ targetEnc: Tensor) -> Tensor {
        let d = AgentState.encode(x) - targetEnc
        return (d * d).mean(axes: [1, 2, 3])
    }

    /// Box reduction [N, 3, S, S] -> [N, 3, side, side] (no gradient).
    static func boxReduce(_ x: Tensor, to side: Int) -> Tensor {
        let n = x.shape[0], s = x.shape[2]
        guard side < s else { return x.detached() }
        let f = s / side, inv = 1 / Float(f * f)
        var out = [Float](repeating: 0, count: n * 3 * side * side)
        for p in 0..<(n * 3) { for y in 0..<s { for xx in 0..<s {
            out[p * side * side + (y / f) * side + xx / f] += x.data[p * s * s + y * s + xx] * inv
        } } }
        return Tensor(shape: [n, 3, side, side], data: out)
    }

    /// Applies filter `f` with raw outputs `raw` to sample `s` of `x` through the renderer (values via the mappings).
    func applyStep(_ f: Int, raw: [Float], to x: Tensor, sample s: Int) -> (step: RecipeStep?, pixels: [Float]) {
        let img = AgentState.image(x, sample: s)
        let specs = filterTypes[f].parameters
        let values = zip(specs, raw).map { min(max($0.map(Double($1)), $0.range.lowerBound), $0.range.upperBound) }
        guard let rs = try? RecipeStep(config.filters[f], values) else { return (nil, Array(img.pixels)) }
        return (rs, Array(Renderer(Recipe([rs])).render(img).pixels[0..<(3 * img.planeCount)]))
    }

    func supervisedStep(_ rng: inout RNG) -> [(String, Float)] {
        let b = options.batch, nf = config.filters.count
        let (x0, target) = data.batch(b, rng: &rng)
        let tEnc = GradMode.withoutGrad { AgentState.encode(Self.boxReduce(target, to: options.lossSide)) }
        let tEncFull = GradMode.withoutGrad { AgentState.encode(target) }
        var x = x0
        var used = [[Bool]](repeating: [Bool](repeating: false, count: nf), count: b)
        var active = [Bool](repeating: true, count: b)
        actor.zeroGrad()
        var paramTotal: Float = 0, selectTotal: Float = 0, stepsTaken = 0
        let startD = Self.distance(x0, tEncFull).data
        for t in 0..<config.maxSteps {
            let nActive = active.filter { $0 }.count
            if nActive == 0 { break }
            let state = AgentState.tensor(images: x, step: t, used: used, config: config)
            var drop: RNG? = RNG(seed: rng.next())
            let (raw, logits) = actor(state, dropout: &drop)
            let xs = Self.boxReduce(x, to: options.lossSide)
            let w = Tensor(shape: [b], data: active.map { $0 ? 1 / Float(nActive) : 0 })
            var loss: Tensor? = nil
            var dists: [[Float]] = []
            for f in 0..<nf {
                let y = FilterOp.forward(filterTypes[f], images: xs, params: raw[f], raw: true)
                let d = Self.distance(y, tEnc)
                let over = (raw[f].abs() - 2).relu()
                let pen = (over * over).mean() * options.rangePenalty
                let l = (d * w).sum() + pen
                loss = loss.map { $0 + l } ?? l
                dists.append(d.data)
            }
            let dNow = Self.distance(xs, tEnc).data
            var labels = [Int](repeating: config.stopAction, count: b)
            for s in 0..<b where active[s] {
                var best = config.stopAction, bestD = dNow[s] * 0.99
                for f in 0..<nf where !used[s][f] && dists[f][s] < bestD { best = f; bestD = dists[f][s] }
                labels[s] = best
            }
            let logp = logits.logSoftmax(axis: 1)
            var onehot = [Float](repeating: 0, count: b * config.actionCount)
            for s in 0..<b where active[s] { onehot[s * config.actionCount + labels[s]] = -1 / Float(nActive) }
            let ce = (logp * Tensor(shape: [b, config.actionCount], data: onehot)).sum()
            paramTotal += loss!.item; selectTotal += ce.item
            (loss! + ce).backward()
            // Transition along the chosen actions, rendered at the thumbnail size.
            var next = x.data
            let hw = 3 * config.thumbnail * config.thumbnail
            for s in 0..<b where active[s] {
                if labels[s] == config.stopAction { active[s] = false; continue }
                let np = raw[labels[s]].shape[1]
                let r = Array(raw[labels[s]].data[(s * np)..<((s + 1) * np)])
                used[s][labels[s]] = true; stepsTaken += 1
                next.replaceSubrange((s * hw)..<((s + 1) * hw), with: applyStep(labels[s], raw: r, to: x, sample: s).pixels)
            }
            x = Tensor(shape: x.shape, data: next)
        }
        actorOpt.step()
        let endD = Self.distance(x, tEncFull).data
        let gain = zip(startD, endD).map { $0 - $1 }.reduce(0, +) / Float(b)
        return [("param", paramTotal), ("select", selectTotal), ("dist", endD.reduce(0, +) / Float(b)),
                ("gain", gain), ("steps", Float(stepsTaken) / Float(b))]
    }

    // MARK: adversarial (RL + GAN)

    /// Critic input: image − 0.5 (display-encoded) plus 3 constant planes of global statistics
    /// (mean luminance, luminance contrast = std, mean saturation = mean(max − min)), as in the paper.
    func criticInput(_ images: Tensor) -> Tensor {
        let n = images.shape[0], hw = images.shape[2] * images.shape[3]
        // Display encoding, plus a leak of 0.05·(x − 1) above white: the clamp alone has no gradient
        // there, so an edit that blew the highlights could never be pushed back by the critic
        // (measured: the agent over-exposed Sintel within 75 iterations and stayed there).
        let e = AgentState.encode(images) - 0.5 + (images - 1).relu() * 0.05
        var stats = [Float](repeating: 0, count: n * 3 * hw)
        for s in 0..<n {
            var sum: Float = 0, sq: Float = 0, sat: Float = 0
            for i in 0..<hw {
                let r = e.data[s * 3 * hw + i] + 0.5, g = e.data[s * 3 * hw + hw + i] + 0.5, b = e.data[s * 3 * hw + 2 * hw + i] + 0.5
                let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
                sum += y; sq += y * y; sat += max(r, g, b) - min(r, g, b)
            }
            let m = sum / Float(hw), sd = max(0, sq / Float(hw) - m * m).squareRoot()
            for (k, v) in [m, sd, sat / Float(hw)].enumerated() {
                for i in 0..<hw { stats[s * 3 * hw + k * hw + i] = v }
            }
        }
        return Tensor.concat([e, Tensor(shape: [n, 3, images.shape[2], images.shape[3]], data: stats)], axis: 1)
    }

    /// One actor-critic + WGAN iteration (Hu et al. 2018, §5):
    /// 1. states: half fresh inputs (step 0), half drawn from the replay pool of partial trajectories;
    /// 2. actor: action a ~ π₁ (masked to unused filters and stop), parameters π₂ deterministic;
    ///    s' = filter(s); reward r = 0.05·(D(s') − D(s)) − reuse/out-of-range penalties (stop: s' = s, r = 0, terminal);
    /// 3. value: TD target r + V(s') (0 when terminal or at the last step), squared error;
    /// 4. actor loss: −log π₁(a|s)·(target − V(s)) − entropy weight·H(π₁) (policy gradient with advantage)
    ///    − 0.05·D(filter_f(s, π₂)) for every filter f (deterministic policy gradient through the filters, D frozen);
    /// 5. critic: WGAN loss mean D(s') − mean D(target photos), spectral normalisation as the Lipschitz constraint;
    /// 6. non-terminal s' go into the pool.
    func adversarialStep(_ rng: inout RNG) -> [(String, Float)] {
        let b = options.batch, nf = config.filters.count, side = config.thumbnail, hw = 3 * side * side
        let (fresh, targets) = data.batch(b, rng: &rng)
        var imgs = fresh.data
        var steps = [Int](repeating: 0, count: b)
        var used = [[Bool]](repeating: [Bool](repeating: false, count: nf), count: b)
        for s in (b / 2)..<b where !pool.isEmpty {
            let p = pool[Int(rng.next() % UInt64(pool.count))]
            imgs.replaceSubrange((s * hw)..<((s + 1) * hw), with: p.image); steps[s] = p.step; used[s] = p.used
        }
        let x = Tensor(shape: [b, 3, side, side], data: imgs)
        let state = stateTensor(x, steps: steps, used: used)
        // AgentActor forward.
        actor.zeroGrad(); value.zeroGrad(); critic.zeroGrad()
        var drop: RNG? = RNG(seed: rng.next())
        let (raw, logits) = actor(state, dropout: &drop)
        let probs = logits.softmax(axis: 1)
        var actions = [Int](repeating: config.stopAction, count: b)
        for s in 0..<b {
            var u = rng.uniform(), a = config.actionCount - 1
            for k in 0..<config.actionCount { u -= probs.data[s * config.actionCount + k]; if u < 0 { a = k; break } }
            actions[s] = a
        }
        // Candidate images for every filter (DPG through the filters), critic scores.
        var dpg: Tensor? = nil
        var outs: [Tensor] = []
        for f in 0..<nf {
            let y = FilterOp.forward(filterTypes[f], images: x, params: raw[f], raw: true)
            let score = critic(criticInput(y)).mean() * options.rewardScale
            let over = (raw[f].abs() - 2).relu()
            let l = -score + (over * over).mean() * options.rangePenalty
            dpg = dpg.map { $0 + l } ?? l
            outs.append(y.detached())
        }
        var nextData = imgs
        var rewards = [Float](repeating: 0, count: b), terminal = [Bool](repeating: false, count: b)
        let (dNow, dNext): ([Float], [Float]) = GradMode.withoutGrad {
            for s in 0..<b where actions[s] != config.stopAction {
                nextData.replaceSubrange((s * hw)..<((s + 1) * hw), with: outs[actions[s]].data[(s * hw)..<((s + 1) * hw)])
            }
            return (critic(criticInput(x)).data, critic(criticInput(Tensor(shape: x.shape, data: nextData))).data)
        }
        var nextUsed = used
        for s in 0..<b {
            let a = actions[s]
            if a == config.stopAction { terminal[s] = true; continue }
            rewards[s] = options.rewardScale * (dNext[s] - dNow[s]) - (used[s][a] ? config.reusePenalty : 0)
            nextUsed[s][a] = true
            if steps[s] + 1 >= config.maxSteps { terminal[s] = true }
        }
        let nextState = stateTensor(Tensor(shape: x.shape, data: nextData), steps: steps.map { $0 + 1 }, used: nextUsed)
        let vNext = GradMode.withoutGrad { value(nextState).data }
        let tdTarget = (0..<b).map { rewards[$0] + (terminal[$0] ? 0 : vNext[$0]) }
        let v = value(state)
        let tdErr = v - Tensor(shape: [b], data: tdTarget)
        let valueLoss = (tdErr * tdErr).mean()
        let adv = (0..<b).map { tdTarget[$0] - v.data[$0] }
        let logp = logits.logSoftmax(axis: 1)
        var pick = [Float](repeating: 0, count: b * config.actionCount)
        for s in 0..<b { pick[s * config.actionCount + actions[s]] = -adv[s] / Float(b) }
        let pg = (logp * Tensor(shape: [b, config.actionCount], data: pick)).sum()
        let entropy = -(probs * logp).sum() * (1 / Float(b))
        let actorLoss = pg + dpg! - entropy * options.entropyWeight
        (actorLoss + valueLoss).backward()
        actorOpt.step(); valueOpt.step()
        // Critic.
        var criticLoss: Float = 0
        for _ in 0..<(iteration < 10 ? max(options.criticSteps, options.criticWarmupSteps) : options.criticSteps) {
            critic.zeroGrad()
            let l = Losses.wganCritic(real: critic(criticInput(targets)), fake: critic(criticInput(Tensor(shape: x.shape, data: nextData))))
            l.backward(); criticOpt.step(); criticLoss = l.item
        }
        // Pool.
        for s in 0..<b where !terminal[s] {
            let entry = (image: Array(nextData[(s * hw)..<((s + 1) * hw)]), step: steps[s] + 1, used: nextUsed[s])
            if pool.count < options.poolSize { pool.append(entry) } else { pool[Int(rng.next() % UInt64(pool.count))] = entry }
        }
        return [("actor", actorLoss.item), ("value", valueLoss.item), ("critic", criticLoss),
                ("reward", rewards.reduce(0, +) / Float(b)), ("stop", Float(actions.filter { $0 == config.stopAction }.count) / Float(b))]
    }

    func stateTensor(_ x: Tensor, steps: [Int], used: [[Bool]]) -> Tensor {
        // Per-sample step counts: build with step 0, then fill the step plane.
        let t = AgentState.tensor(images: x, step: 0, used: used, config: config)
        let hw = x.shape[2] * x.shape[3], c = config.stateChannels
        var d = t.data
        for s in 0..<x.shape[0] { for i in 0..<hw { d[s * c * hw + 3 * hw + i] = Float(steps[s]) / Float(config.maxSteps) } }
        return Tensor(shape: t.shape, data: d)
    }
}
