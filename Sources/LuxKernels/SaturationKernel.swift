/// Renderer kernel for saturation (``Saturation`` in LuxFilters, the paper's S+): with q = min(p, 1),
/// V = max q, m = min q, the per-channel output p' = p + f·(q_c − V), f = s·0.8·min(V, 1 − V)·max(m, 0)
/// / max(V − m, 1e-9): the filter's own formula with s·0.8 folded into one constant (measured against
/// the Double reference in tests). A reciprocal estimate with a Newton step in place of the division
/// was measured (`lux-bench filters`, 2026-12-05): no difference, so the division stays.
public struct SaturationKernel: VectorKernel {
    @inlinable public static var interleave: Bool { true }
    /// s·0.8.
    @usableFromInline let amount: V

    /// s, the filter's coefficient.
    public init(amount s: Double) { amount = V(repeating: Float(s * 0.8)) }

    @_transparent public func apply(_ r: inout V, _ g: inout V, _ b: inout V) {
        let one = V(repeating: 1)
        let qr = V.minimum(r, one), qg = V.minimum(g, one), qb = V.minimum(b, one)
        let v = V.maximum(V.maximum(qr, qg), qb)
        let m = V.minimum(V.minimum(qr, qg), qb)
        let f = amount * V.minimum(v, one - v) * V.maximum(m, V(repeating: 0)) / V.maximum(v - m, V(repeating: 1e-9))
        r = r.addingProduct(f, qr - v)
        g = g.addingProduct(f, qg - v)
        b = b.addingProduct(f, qb - v)
    }
}
