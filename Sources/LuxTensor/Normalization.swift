/// Normalisation layers: `y = (x − μ) / √(σ² + ε) · γ + β`, with μ and biased σ² taken over
/// layer-specific axes. Built from tape primitives, so gradients (through μ and σ² too) are exact.
extension Tensor {
    /// `(x − mean) / √(var + ε)` over `axes` (biased variance), keeping the shape.
    public func normalized(axes: [Int], epsilon: Float = 1e-5) -> Tensor {
        let centered = self - mean(axes: axes, keepDims: true)
        let variance = centered.pow(2).mean(axes: axes, keepDims: true)
        return centered / (variance + epsilon).sqrt()
    }
}

/// Channel-parameter shape for NCHW-style input of rank `rank`: `[1, C, 1, 1]` (rank 4), `[1, C]` (rank 2).
private func channelShape(_ c: Int, rank: Int) -> [Int] {
    (0..<rank).map { $0 == 1 ? c : 1 }
}

/// Batch normalisation over N (and H, W) per channel, for `[N, C]` or `[N, C, H, W]` input.
///
/// Training (`training = true`): normalises with the batch statistics and updates the running
/// estimates `r ← (1 − m)·r + m·s` (momentum m = 0.1; the running variance uses the unbiased batch
/// variance `σ²·n/(n−1)`, like PyTorch). Eval: normalises with the running statistics.
/// Parameters: `weight` γ (ones), `bias` β (zeros); `running_mean`/`running_var` are listed in
/// ``namedParameters()`` with `requiresGrad = false` so they are saved with the model.
public final class BatchNorm: Module {
    public let channels: Int
    public let weight: Tensor, bias: Tensor
    public let runningMean: Tensor, runningVar: Tensor
    public var training = true
    public let momentum: Float, epsilon: Float

    public init(_ channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        self.channels = channels
        weight = Tensor(repeating: 1, shape: [channels], requiresGrad: true)
        bias = Tensor(zeros: [channels], requiresGrad: true)
        runningMean = Tensor(zeros: [channels])
        runningVar = Tensor(repeating: 1, shape: [channels])
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public func namedParameters() -> [(String, Tensor)] {
        [("weight", weight), ("bias", bias), ("running_mean", runningMean), ("running_var", runningVar)]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition((x.rank == 2 || x.rank == 4) && x.shape[1] == channels,
                     "BatchNorm(\(channels)) needs [N, \(channels)] or [N, \(channels), H, W], got \(x.shape)")
        let cs = channelShape(channels, rank: x.rank)
        let axes = x.rank == 4 ? [0, 2, 3] : [0]
        let y: Tensor
        if training {
            let n = axes.reduce(1) { $0 * x.shape[$1] }
            precondition(n > 1, "BatchNorm training needs more than one value per channel, got shape \(x.shape)")
            y = x.normalized(axes: axes, epsilon: epsilon)
            GradMode.withoutGrad {
                let mu = x.mean(axes: axes)
                let v = (x - mu.reshape(cs)).pow(2).mean(axes: axes)
                let unbias = Float(n) / Float(n - 1)
                for c in 0..<channels {
                    runningMean.data[c] = (1 - momentum) * runningMean.data[c] + momentum * mu.data[c]
                    runningVar.data[c] = (1 - momentum) * runningVar.data[c] + momentum * v.data[c] * unbias
                }
            }
        } else {
            let rm = runningMean.reshape(cs), rs = (runningVar.reshape(cs) + epsilon).sqrt()
            y = (x - rm) / rs
        }
        return y * weight.reshape(cs) + bias.reshape(cs)
    }
}

/// Instance normalisation: per sample and channel over H, W of `[N, C, H, W]` input, with optional
/// affine γ, β per channel (no running statistics; train and eval behave the same).
public final class InstanceNorm: Module {
    public let channels: Int
    public let weight: Tensor?, bias: Tensor?
    public let epsilon: Float

    public init(_ channels: Int, affine: Bool = true, epsilon: Float = 1e-5) {
        self.channels = channels
        weight = affine ? Tensor(repeating: 1, shape: [channels], requiresGrad: true) : nil
        bias = affine ? Tensor(zeros: [channels], requiresGrad: true) : nil
        self.epsilon = epsilon
    }

    public func namedParameters() -> [(String, Tensor)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == channels, "InstanceNorm(\(channels)) needs [N, \(channels), H, W], got \(x.shape)")
        let y = x.normalized(axes: [2, 3], epsilon: epsilon)
        guard let weight, let bias else { return y }
        let cs = channelShape(channels, rank: 4)
        return y * weight.reshape(cs) + bias.reshape(cs)
    }
}

/// Layer normalisation over the trailing axes given by `normalizedShape` (e.g. `[C, H, W]` or
/// `[features]`), with elementwise affine γ, β of that shape.
public final class LayerNorm: Module {
    public let normalizedShape: [Int]
    public let weight: Tensor?, bias: Tensor?
    public let epsilon: Float

    public init(_ normalizedShape: [Int], affine: Bool = true, epsilon: Float = 1e-5) {
        self.normalizedShape = normalizedShape
        weight = affine ? Tensor(repeating: 1, shape: normalizedShape, requiresGrad: true) : nil
        bias = affine ? Tensor(zeros: normalizedShape, requiresGrad: true) : nil
        self.epsilon = epsilon
    }

    public func namedParameters() -> [(String, Tensor)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let k = normalizedShape.count
        precondition(x.rank >= k && Array(x.shape.suffix(k)) == normalizedShape,
                     "LayerNorm(\(normalizedShape)) does not match input shape \(x.shape)")
        let y = x.normalized(axes: Array((x.rank - k)..<x.rank), epsilon: epsilon)
        guard let weight, let bias else { return y }
        return y * weight + bias
    }
}
