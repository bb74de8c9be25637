/// Spectral normalisation (Miyato et al., "Spectral Normalization for Generative Adversarial
/// Networks", ICLR 2018): divides a weight by an estimate of its largest singular value.
///
/// The weight is viewed as a matrix `W` of shape [out, m] (m = product of the other dimensions).
/// Each call in grad mode runs `iterations` steps of power iteration from the persistent `u` [out]:
///
///     v = Wᵀu / ‖Wᵀu‖,   u = Wv / ‖Wv‖,   σ = uᵀ W v
///
/// and returns `W / σ`. As in the paper (and PyTorch), `u` and `v` are treated as constants in the
/// backward pass, so with `∂σ/∂W = u vᵀ` and `Ŵ = W / σ` the gradient is
///
///     ∂L/∂W = (G - ⟨G, Ŵ⟩ · u vᵀ) / σ        (G = ∂L/∂Ŵ, ⟨·,·⟩ the Frobenius product)
///
/// With grad mode off (inference) `u` is not updated and the stored estimate is reused.
/// `u` starts from a seeded random unit vector; σ is accurate after a few dozen calls (or set
/// `iterations` higher for a single accurate call).
public final class SpectralNorm: @unchecked Sendable {
    /// Persistent left singular vector estimate, unit length, [out].
    public private(set) var u: [Float]
    /// The last σ used.
    public private(set) var sigma: Float = 1
    public let iterations: Int
    /// Guards the normalisations against division by zero.
    public let epsilon: Float

    public init(outFeatures: Int, iterations: Int = 1, epsilon: Float = 1e-12, seed: UInt64 = 0) {
        precondition(outFeatures > 0 && iterations >= 1, "SpectralNorm: outFeatures and iterations must be positive")
        var u0 = convUniformInit(count: outFeatures, bound: 1, seed: seed ^ 0x5EC7)
        let n = u0.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for i in 0..<outFeatures { u0[i] /= max(n, epsilon) }
        u = u0
        self.iterations = iterations
        self.epsilon = epsilon
    }

    /// `weight / σ(weight)` as a differentiable op (see the type's documentation).
    public func callAsFunction(_ weight: Tensor) -> Tensor {
        let rows = weight.shape.first ?? 1
        precondition(rows == u.count, "SpectralNorm: weight has \(rows) rows but u has \(u.count)")
        let cols = weight.count / rows
        let w = weight.data
        var uu = u
        var v = [Float](repeating: 0, count: cols)
        func normalize(_ x: inout [Float]) {
            let n = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let inv = 1 / max(n, epsilon)
            for i in 0..<x.count { x[i] *= inv }
        }
        func mulT(_ u: [Float]) -> [Float] {     // Wᵀu
            var r = [Float](repeating: 0, count: cols)
            for i in 0..<rows where u[i] != 0 { for j in 0..<cols { r[j] += w[i * cols + j] * u[i] } }
            return r
        }
        func mul(_ v: [Float]) -> [Float] {      // Wv
            (0..<rows).map { i in var s: Float = 0; for j in 0..<cols { s += w[i * cols + j] * v[j] }; return s }
        }
        let steps = GradMode.isEnabled ? iterations : 0
        for _ in 0..<steps {
            v = mulT(uu); normalize(&v)
            uu = mul(v); normalize(&uu)
        }
        if steps == 0 { v = mulT(uu); normalize(&v) }
        let wv = mul(v)
        let s = max(zip(uu, wv).reduce(0) { $0 + $1.0 * $1.1 }, epsilon)
        if steps > 0 { u = uu }
        sigma = s
        let y = w.map { $0 / s }
        return Tensor.result(shape: weight.shape, data: y, parents: [weight]) { out in
            let g = out.grad!
            var dot: Float = 0
            for k in 0..<g.count { dot += g[k] * y[k] }
            var gw = [Float](repeating: 0, count: g.count)
            for i in 0..<rows {
                for j in 0..<cols {
                    let k = i * cols + j
                    gw[k] = (g[k] - dot * uu[i] * v[j]) / s
                }
            }
            weight.accumulateGrad(gw)
        }
    }
}
