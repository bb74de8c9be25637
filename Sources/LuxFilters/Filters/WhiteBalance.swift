/// White balance (paper filter W, "improved"): gains k = (1, e^g, e^b) normalised by luminance,
/// k ← k / (0.27 k_R + 0.67 k_G + 0.06 k_B) (the paper adds 1e−5, dropped so 0 is the exact identity); p' = k ⊙ p.
/// Log gains g, b in (−0.5, 0.5), identity 0. Linear light.
public enum WhiteBalance: Filter {
    public static let id = "whiteBalance"
    public static let parameters = [
        ParamSpec("green", -0.5...0.5, identity: 0, mapping: .tanhRange(initial: 0), "log gain of green relative to red"),
        ParamSpec("blue", -0.5...0.5, identity: 0, mapping: .tanhRange(initial: 0), "log gain of blue relative to red"),
    ]
    public static func coefficients<T: CoefficientScalar>(_ p: [T]) -> [T] {
        let kg = T.exp(p[0]), kb = T.exp(p[1])
        let n = T(0.27) + T(0.67) * kg + T(0.06) * kb
        return [T(1) / n, kg / n, kb / n]
    }
    @inline(__always) @inlinable public static func apply<T: FilterScalar>(_ r: inout T, _ g: inout T, _ b: inout T, _ k: UnsafeBufferPointer<T>) {
        r = r * k[0]; g = g * k[1]; b = b * k[2]
    }
}
