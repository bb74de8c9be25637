import Foundation

/// A first-order optimiser over a fixed list of parameters. Parameters without a gradient are skipped.
///
/// State for training resume is exposed as named tensors (``stateTensors()``), so it can be
/// written with `SafeTensors` next to the model weights. Names: `"step"` (shape `[1]`, the step
/// count as Float, exact to 2²⁴ steps) and per-parameter buffers `"<buffer>.<index>"`.
public protocol Optimizer: AnyObject {
    var parameters: [Tensor] { get }
    /// Learning rate used by the next ``step()`` (schedules set it each step).
    var learningRate: Float { get set }
    /// Updates every parameter that has a gradient.
    func step()
    /// Named state tensors (copies).
    func stateTensors() -> [(String, Tensor)]
    /// Restores state from ``stateTensors()`` output; throws on missing names or wrong shapes.
    func loadState(_ state: [String: Tensor]) throws
}

extension Optimizer {
    /// Clears the gradients of all parameters.
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }
}

/// Reads buffer `name` into `dst`, checking its shape.
private func restore(_ state: [String: Tensor], _ name: String, into dst: inout [Float], shape: [Int]) throws {
    guard let t = state[name] else { throw TensorError.missingTensor(name) }
    guard t.shape == shape else { throw TensorError.shapeMismatch(name: name, expected: shape, found: t.shape) }
    dst = t.data
}

private func restoreStep(_ state: [String: Tensor]) throws -> Int {
    guard let t = state["step"] else { throw TensorError.missingTensor("step") }
    guard t.shape == [1] else { throw TensorError.shapeMismatch(name: "step", expected: [1], found: t.shape) }
    return Int(t.data[0])
}

/// Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay
/// (PyTorch convention): `g ← g + λp`, `v ← μv + g`, update `u = g + μv` (Nesterov) or `u = v`,
/// `p ← p − lr·u`. μ = 0 gives plain SGD.
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    public let weightDecay: Float
    private var velocity: [[Float]]
    private var steps = 0

    public init(_ parameters: [Tensor], learningRate: Float, momentum: Float = 0, nesterov: Bool = false,
                weightDecay: Float = 0) {
        precondition(!nesterov || momentum > 0, "Nesterov momentum needs momentum > 0")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        velocity = parameters.map { [Float](repeating: 0, count: $0.count) }
    }

    public func step() {
        steps += 1
        let lr = learningRate, mu = momentum, wd = weightDecay, nest = nesterov
        for (i, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            p.data.withUnsafeMutableBufferPointer { pp in
                velocity[i].withUnsafeMutableBufferPointer { vp in
                    g.withUnsafeBufferPointer { gp in
                        for j in 0..<pp.count {
                            let gj = gp[j] + wd * pp[j]
                            if mu == 0 { pp[j] -= lr * gj; continue }
                            vp[j] = mu * vp[j] + gj
                            pp[j] -= lr * (nest ? gj + mu * vp[j] : vp[j])
                        }
                    }
                }
            }
        }
    }

    public func stateTensors() -> [(String, Tensor)] {
        [("step", Tensor(shape: [1], data: [Float(steps)]))]
            + velocity.enumerated().map { ("momentum.\($0.offset)", Tensor(shape: parameters[$0.offset].shape, data: $0.element)) }
    }

    public func loadState(_ state: [String: Tensor]) throws {
        steps = try restoreStep(state)
        for i in parameters.indices {
            try restore(state, "momentum.\(i)", into: &velocity[i], shape: parameters[i].shape)
        }
    }
}

/// Adam (Kingma & Ba 2015) with bias correction:
/// `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`, `p ← p − lr·m̂/(√v̂ + ε)` with
/// `m̂ = m/(1−β₁ᵗ)`, `v̂ = v/(1−β₂ᵗ)`. `weightDecay` here is L2 (added to g); see ``AdamW`` for
/// decoupled decay. Defaults: β₁ 0.9, β₂ 0.999, ε 1e-8.
public class Adam: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    /// true: AdamW's `p ← p − lr·λ·p` before the Adam update; false: L2 in the gradient.
    let decoupled: Bool
    private var m: [[Float]]
    private var v: [[Float]]
    public private(set) var steps = 0

    public convenience init(_ parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9,
                            beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.init(parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                  weightDecay: weightDecay, decoupled: false)
    }

    init(_ parameters: [Tensor], learningRate: Float, beta1: Float, beta2: Float, epsilon: Float,
         weightDecay: Float, decoupled: Bool) {
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "Adam betas must lie in [0, 1)")
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupled = decoupled
        m = parameters.map { [Float](repeating: 0, count: $0.count) }
        v = m
    }

    public func step() {
        steps += 1
        let b1 = beta1, b2 = beta2, eps = epsilon, lr = learningRate, wd = weightDecay, dec = decoupled
        let c1 = 1 - Float(Foundation.pow(Double(b1), Double(steps)))
        let c2 = 1 - Float(Foundation.pow(Double(b2), Double(steps)))
        for (i, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            p.data.withUnsafeMutableBufferPointer { pp in
                m[i].withUnsafeMutableBufferPointer { mp in
                    v[i].withUnsafeMutableBufferPointer { vp in
                        g.withUnsafeBufferPointer { gp in
                            for j in 0..<pp.count {
                                var gj = gp[j]
                                if dec { pp[j] -= lr * wd * pp[j] } else { gj += wd * pp[j] }
                                mp[j] = b1 * mp[j] + (1 - b1) * gj
                                vp[j] = b2 * vp[j] + (1 - b2) * gj * gj
                                pp[j] -= lr * (mp[j] / c1) / ((vp[j] / c2).squareRoot() + eps)
                            }
                        }
                    }
                }
            }
        }
    }

    public func stateTensors() -> [(String, Tensor)] {
        var out = [("step", Tensor(shape: [1], data: [Float(steps)]))]
        for (i, p) in parameters.enumerated() {
            out.append(("exp_avg.\(i)", Tensor(shape: p.shape, data: m[i])))
            out.append(("exp_avg_sq.\(i)", Tensor(shape: p.shape, data: v[i])))
        }
        return out
    }

    public func loadState(_ state: [String: Tensor]) throws {
        let s = try restoreStep(state)
        for (i, p) in parameters.enumerated() {
            try restore(state, "exp_avg.\(i)", into: &m[i], shape: p.shape)
            try restore(state, "exp_avg_sq.\(i)", into: &v[i], shape: p.shape)
        }
        steps = s
    }
}

/// AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay `p ← p − lr·λ·p`
/// applied directly to the weights, not through the gradient moments. Default λ = 0.01.
public final class AdamW: Adam {
    public init(_ parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        super.init(parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                   weightDecay: weightDecay, decoupled: true)
    }
}
