import Foundation
import LuxTensor

/// Low-rank bilinear pooling (Hadamard-product form) of a colour feature `c ∈ ℝ^dc` and a context feature
/// `s ∈ ℝ^ds`: `y = Pᵀ[(Uᵀc) ⊙ (Vᵀs)] + b` with `U: dc×r`, `V: ds×r`, `P: r×out` — the full bilinear form
/// `y_k = cᵀ W_k s + b_k` with `W_k = U diag(P_{:,k}) Vᵀ` restricted to rank r.
///
/// Inputs `[N, dc]` and `[N, ds]`, output `[N, out]`. `P` starts at a tenth of its Kaiming scale so an
/// untrained layer predicts a small residual.
public final class BilinearPooling: Module {
    public let u: Linear, v: Linear, p: Linear

    public init(colour dc: Int, context ds: Int, rank r: Int, out: Int, rng: inout RNG) {
        u = Linear(dc, r, bias: false, rng: &rng)
        v = Linear(ds, r, bias: false, rng: &rng)
        p = Linear(r, out, bias: true, rng: &rng)
        for i in p.weight.data.indices { p.weight.data[i] *= 0.1 }
    }

    public func namedParameters() -> [(String, Tensor)] {
        u.namedParameters().map { ("u." + $0.0, $0.1) } + v.namedParameters().map { ("v." + $0.0, $0.1) }
            + p.namedParameters().map { ("p." + $0.0, $0.1) }
    }

    public func callAsFunction(colour c: Tensor, context s: Tensor) -> Tensor {
        p(u(c) * v(s))
    }
}
