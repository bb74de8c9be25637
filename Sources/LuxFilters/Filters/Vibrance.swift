/// Vibrance (Lux extra): saturation change that spares already-saturated colours.
/// S = (V − m)/max(V, 1e−6) clipped to [0, 1], p' = ℓ + (p − ℓ)(1 + v(1 − S)), ℓ = lum(p).
/// v in (−1, 1), identity 0.
public enum Vibrance: Filter {
    public static let id = "vibrance"
    public static let parameters = [
        ParamSpec("amount", -1...1, identity: 0, mapping: .tanh, "saturation change weighted by (1 − saturation)"),
    ]
    public static func coefficients<T: CoefficientScalar>(_ p: [T]) -> [T] { [p[0]] }
    @inline(__always) @inlinable public static func apply<T: FilterScalar>(_ r: inout T, _ g: inout T, _ b: inout T, _ k: UnsafeBufferPointer<T>) {
        let v = T.maximum(T.maximum(r, g), b), m = T.minimum(T.minimum(r, g), b)
        let s = T.clamp((v - m) / T.maximum(v, T(1e-6)), 0, 1)
        let f = T(1) + k[0] * (T(1) - s)
        let l = T.lum(r, g, b)
        r = l + (r - l) * f; g = l + (g - l) * f; b = l + (b - l) * f
    }
}
