/// Highlights / shadows (Lux extra): ℓ = clip(lum, 0, 1), p' = p · 2^(s·(1 − ℓ)² + h·ℓ²).
/// Each of h, s in (−1, 1) EV at the extreme end of the luminance range, identity 0; hue preserving.
public enum HighlightsShadows: Filter {
    public static let id = "highlightsShadows"
    public static let parameters = [
        ParamSpec("highlights", -1...1, identity: 0, mapping: .tanh, "EV change weighted by luminance²"),
        ParamSpec("shadows", -1...1, identity: 0, mapping: .tanh, "EV change weighted by (1 − luminance)²"),
    ]
    public static func coefficients<T: CoefficientScalar>(_ p: [T]) -> [T] {
        [p[0] * T(0.6931471805599453), p[1] * T(0.6931471805599453)]
    }
    @inline(__always) @inlinable public static func apply<T: FilterScalar>(_ r: inout T, _ g: inout T, _ b: inout T, _ k: UnsafeBufferPointer<T>) {
        let l = T.clamp(T.lum(r, g, b), 0, 1)
        let d = T(1) - l
        let f = T.exp(k[0] * l * l + k[1] * d * d)
        r = r * f; g = g * f; b = b * f
    }
}
