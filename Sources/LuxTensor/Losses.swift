import Foundation

/// Loss functions. All return a scalar (shape `[]`) mean over elements or samples.
public enum Losses {
    /// Mean absolute error `mean |p − t|`.
    public static func l1(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        (prediction - target).abs().mean()
    }

    /// Mean squared error `mean (p − t)²`.
    public static func mse(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        (prediction - target).pow(2).mean()
    }

    /// Huber (smooth L1) loss, mean over elements, with `d = p − t`:
    /// `½d²` for `|d| ≤ δ`, `δ(|d| − ½δ)` otherwise. δ > 0 (default 1). Gradient: `clamp(d, −δ, δ)`.
    public static func huber(_ prediction: Tensor, _ target: Tensor, delta: Float = 1) -> Tensor {
        huberElements(prediction - target, delta: delta).mean()
    }

    /// The Huber function of each element of `d` (same shape), for weighted or partial sums.
    public static func huberElements(_ d: Tensor, delta: Float = 1) -> Tensor {
        precondition(delta > 0, "huber delta must be > 0, got \(delta)")
        return d.unaryOp({ x in
            let a = Swift.abs(x)
            return a <= delta ? 0.5 * x * x : delta * (a - 0.5 * delta)
        }, derivative: { x, _ in Swift.min(Swift.max(x, -delta), delta) })
    }

    /// Kullback-Leibler divergence `KL(p ‖ q) = Σₖ pₖ (log(pₖ + ε) − log(qₖ + ε))`.
    ///
    /// Convention: `p` is the reference ("true") distribution and `q` the model's; both are
    /// probability vectors (non-negative, summing to 1) along the last axis. The sum runs over the
    /// last axis and the result is the mean over all leading positions (batch mean, like PyTorch's
    /// `reduction="batchmean"` for rank 2). ε (default 1e-8) keeps log finite at zero
    /// probabilities; terms with pₖ = 0 contribute 0. Note the argument order differs from
    /// PyTorch's `kl_div(input=log q, target=p)`. Gradients flow to both `p` and `q`.
    public static func klDivergence(_ p: Tensor, _ q: Tensor, epsilon: Float = 1e-8) -> Tensor {
        precondition(p.shape == q.shape, "klDivergence shapes differ: \(p.shape) vs \(q.shape)")
        let terms = p * ((p + epsilon).log() - (q + epsilon).log())
        return terms.sum(axes: [-1]).mean()
    }

    /// Cross-entropy of `logits` `[N, C]` against integer class `labels` (N values in 0..<C):
    /// `mean over n of −log softmax(logits[n])[labels[n]]`.
    public static func crossEntropy(_ logits: Tensor, labels: [Int]) -> Tensor {
        precondition(logits.rank == 2, "crossEntropy logits must be [N, C], got \(logits.shape)")
        let n = logits.shape[0], c = logits.shape[1]
        precondition(labels.count == n, "crossEntropy: \(labels.count) labels for \(n) samples")
        precondition(labels.allSatisfy { (0..<c).contains($0) }, "crossEntropy: labels must lie in 0..<\(c)")
        let logp = logits.logSoftmax(axis: 1)
        let picked = labels.enumerated().map { i, l in logp.data[i * c + l] }
        let nll = Tensor.result(shape: [n], data: picked.map { -$0 }, parents: [logp]) { out in
            var g = [Float](repeating: 0, count: n * c)
            for (i, l) in labels.enumerated() { g[i * c + l] = -out.grad![i] }
            logp.accumulateGrad(g)
        }
        return nll.mean()
    }

    /// WGAN critic loss `mean(D(fake)) − mean(D(real))` (minimised by the critic; its negative
    /// estimates the Wasserstein-1 distance when D is 1-Lipschitz).
    ///
    /// The Lipschitz constraint comes from spectral normalisation of the critic's layers
    /// (`SpectralNorm`, tensor-conv branch), not from a gradient penalty: WGAN-GP needs the
    /// gradient of a gradient norm, i.e. double backward, and this tape is first-order only.
    /// This is accepted because spectral normalisation bounds each layer's Lipschitz constant by
    /// 1 directly and was shown to train stable, competitive GANs (Miyato et al. 2018,
    /// "Spectral Normalization for Generative Adversarial Networks", ICLR), at the cost of one
    /// power iteration per layer and step.
    public static func wganCritic(real: Tensor, fake: Tensor) -> Tensor {
        fake.mean() - real.mean()
    }

    /// WGAN generator loss `−mean(D(fake))`. See ``wganCritic(real:fake:)`` for the Lipschitz constraint.
    public static func wganGenerator(fake: Tensor) -> Tensor {
        -fake.mean()
    }
}
