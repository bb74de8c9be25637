import Foundation

/// A learning rate as a function of the 0-based optimiser step.
public protocol LRSchedule: Sendable {
    func learningRate(at step: Int) -> Float
}

extension LRSchedule {
    /// Sets `optimizer.learningRate` for `step` (call before `optimizer.step()`).
    public func apply(to optimizer: any Optimizer, step: Int) { optimizer.learningRate = learningRate(at: step) }
}

/// Always `base`.
public struct ConstantLR: LRSchedule {
    public let base: Float
    public init(_ base: Float) { self.base = base }
    public func learningRate(at step: Int) -> Float { base }
}

/// `base · γ^⌊step / stepSize⌋` (e.g. γ = 0.1 every 30 epochs' worth of steps).
public struct StepDecayLR: LRSchedule {
    public let base: Float, stepSize: Int, gamma: Float
    public init(base: Float, stepSize: Int, gamma: Float = 0.1) {
        precondition(stepSize > 0, "StepDecayLR stepSize must be > 0")
        self.base = base; self.stepSize = stepSize; self.gamma = gamma
    }
    public func learningRate(at step: Int) -> Float {
        base * Float(Foundation.pow(Double(gamma), Double(step / stepSize)))
    }
}

/// Linear warm-up then cosine decay:
/// `base·(s+1)/W` for s < W; then `min + (base − min)·½(1 + cos(π·t))` with
/// `t = (s − W)/(T − W)` clamped to [0, 1], T = `totalSteps`.
public struct CosineWarmupLR: LRSchedule {
    public let base: Float, warmupSteps: Int, totalSteps: Int, minimum: Float
    public init(base: Float, warmupSteps: Int, totalSteps: Int, minimum: Float = 0) {
        precondition(warmupSteps >= 0 && totalSteps > warmupSteps, "CosineWarmupLR needs 0 ≤ warmup < total")
        self.base = base; self.warmupSteps = warmupSteps; self.totalSteps = totalSteps; self.minimum = minimum
    }
    public func learningRate(at step: Int) -> Float {
        if step < warmupSteps { return base * Float(step + 1) / Float(warmupSteps) }
        let t = Swift.min(Swift.max(Double(step - warmupSteps) / Double(totalSteps - warmupSteps), 0), 1)
        return minimum + (base - minimum) * Float(0.5 * (1 + Foundation.cos(Double.pi * t)))
    }
}
