extension Tensor {
    /// Inverted dropout: in training each element is zeroed with probability `p` and survivors are
    /// scaled by `1/(1 − p)` (expected value unchanged); in eval it is the identity.
    /// The mask comes from `rng`, so a seed reproduces it. `p` in [0, 1).
    public func dropout(_ p: Float, training: Bool, rng: inout RNG) -> Tensor {
        precondition(p >= 0 && p < 1, "dropout probability must lie in [0, 1), got \(p)")
        guard training && p > 0 else { return self }
        let scale = 1 / (1 - p)
        let mask = (0..<count).map { _ in rng.uniform() >= p ? scale : 0 }
        let y = Kernels.zip(data, mask, *)
        return .result(shape: shape, data: y, parents: [self]) { out in
            self.accumulateGrad(Kernels.zip(out.grad!, mask, *))
        }
    }
}

/// Dropout layer with its own seeded generator; set `training = false` for inference.
public final class Dropout: Module {
    public let p: Float
    public var training = true
    private var rng: RNG

    public init(_ p: Float = 0.5, seed: UInt64 = 0) {
        self.p = p
        rng = RNG(seed: seed)
    }

    public func namedParameters() -> [(String, Tensor)] { [] }

    public func callAsFunction(_ x: Tensor) -> Tensor { x.dropout(p, training: training, rng: &rng) }
}
