import Foundation
import LuxTensor

/// Spectral normalisation of one critic weight (Miyato et al. 2018), as ``LuxTensor/SpectralNorm``
/// (one power-iteration step per training call, `u`, `v` constants in the backward pass:
/// `∂L/∂W = (G − ⟨G, Ŵ⟩·u vᵀ) / σ`), but with the persistent estimate `u` kept in a tensor so that
/// training checkpoints can save and restore it (bit-identical resume of the adversarial mode).
public final class SpectralWeight: @unchecked Sendable {
    /// Left singular vector estimate [out], unit length; not trainable.
    public let u: Tensor
    static let epsilon: Float = 1e-12

    public init(outFeatures: Int, rng: inout RNG) {
        var u0 = (0..<outFeatures).map { _ in rng.uniform(-1, 1) }
        let n = max(u0.reduce(0) { $0 + $1 * $1 }.squareRoot(), Self.epsilon)
        for i in 0..<outFeatures { u0[i] /= n }
        u = Tensor(shape: [outFeatures], data: u0)
    }

    /// `weight / σ(weight)`; updates `u` only when gradients are recorded (training).
    public func callAsFunction(_ weight: Tensor) -> Tensor {
        let rows = weight.shape[0], cols = weight.count / rows
        let w = weight.data
        func normalize(_ x: inout [Float]) {
            let inv = 1 / max(x.reduce(0) { $0 + $1 * $1 }.squareRoot(), Self.epsilon)
            for i in 0..<x.count { x[i] *= inv }
        }
        var uu = u.data
        var v = [Float](repeating: 0, count: cols)
        for i in 0..<rows where uu[i] != 0 { for j in 0..<cols { v[j] += w[i * cols + j] * uu[i] } }
        normalize(&v)
        let wv = (0..<rows).map { i in var s: Float = 0; for j in 0..<cols { s += w[i * cols + j] * v[j] }; return s }
        if GradMode.isEnabled {
            uu = wv; normalize(&uu); u.data = uu
        }
        let s = max(zip(uu, wv).reduce(0) { $0 + $1.0 * $1.1 }, Self.epsilon)
        let y = w.map { $0 / s }
        let uFixed = uu
        return Tensor.result(shape: weight.shape, data: y, parents: [weight]) { out in
            let g = out.grad!
            var dot: Float = 0
            for k in 0..<g.count { dot += g[k] * y[k] }
            var gw = [Float](repeating: 0, count: g.count)
            for i in 0..<rows { for j in 0..<cols { gw[i * cols + j] = (g[i * cols + j] - dot * uFixed[i] * v[j]) / s } }
            weight.accumulateGrad(gw)
        }
    }
}
