/// Saturation+ (paper filter S+): q = min(p, 1); in HSV (V = max, S = (V − m)/V) the saturation
/// becomes S' = S + (1 − S)(½ − |½ − V|)·0.8 with H and V kept, which is, per channel,
/// full_c = q_c − (V − q_c)·k·m/(V − m), k = (½ − |½ − V|)·0.8. Output p' = p + s·(full − q).
/// For p ≤ 1 this equals the paper's lerp(q, full, s); unlike the paper, s = 0 is the exact
/// identity (values above 1 are not clipped). s in (0, 1), identity 0. Grey stays grey.
public enum Saturation: Filter {
    public static let id = "saturation"
    public static let parameters = [
        ParamSpec("amount", 0...1, identity: 0, mapping: .sigmoid, "blend towards the boosted-saturation image"),
    ]
    public static func coefficients<T: CoefficientScalar>(_ p: [T]) -> [T] { [p[0]] }
    @inline(__always) @inlinable public static func apply<T: FilterScalar>(_ r: inout T, _ g: inout T, _ b: inout T, _ k: UnsafeBufferPointer<T>) {
        let one = T(1)
        let qr = T.minimum(r, one), qg = T.minimum(g, one), qb = T.minimum(b, one)
        let v = T.maximum(T.maximum(qr, qg), qb)
        let m = T.minimum(T.minimum(qr, qg), qb)
        // (½ − |½ − V|)·0.8 = 0.8·min(V, 1 − V) for every real V.
        let boost = T.minimum(v, one - v)
        let f = k[0] * T(0.8) * boost * T.maximum(m, T(0)) / T.maximum(v - m, T(1e-9))
        r = T.mulAdd(f, qr - v, r)
        g = T.mulAdd(f, qg - v, g)
        b = T.mulAdd(f, qb - v, b)
    }
}
