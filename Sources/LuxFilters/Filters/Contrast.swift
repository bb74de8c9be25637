/// Contrast (paper filter Ct): ℓ = clip(lum, 0, 1), ℓ' = ½ − ½cos(πℓ), p_c = p·ℓ'/(ℓ + 1e−6),
/// p' = (1 − α)p + α p_c. α in (−1, 1), identity 0; negative α lowers contrast.
public enum Contrast: Filter {
    public static let id = "contrast"
    public static let parameters = [
        ParamSpec("amount", -1...1, identity: 0, mapping: .tanh, "blend towards an S-curve on luminance"),
    ]
    public static func coefficients<T: CoefficientScalar>(_ p: [T]) -> [T] { [p[0]] }
    @inline(__always) @inlinable public static func apply<T: FilterScalar>(_ r: inout T, _ g: inout T, _ b: inout T, _ k: UnsafeBufferPointer<T>) {
        let l = T.clamp(T.lum(r, g, b), 0, 1)
        let l2 = T(0.5) - T(0.5) * T.cosPi(l)
        let f = T(1) + k[0] * (l2 / (l + T(1e-6)) - T(1))
        r = r * f; g = g * f; b = b * f
    }
}
