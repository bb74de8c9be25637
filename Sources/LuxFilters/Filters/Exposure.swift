/// Exposure (paper filter E): p' = p · 2^ev. Linear light. ev in (−3.5, 3.5) EV, identity 0.
public enum Exposure: Filter {
    public static let id = "exposure"
    public static let parameters = [
        ParamSpec("ev", -3.5...3.5, identity: 0, mapping: .tanhRange(initial: 0), "exposure change in stops (EV)"),
    ]
    public static func coefficients<T: CoefficientScalar>(_ p: [T]) -> [T] { [T.exp(p[0] * T(0.6931471805599453))] }
    @inline(__always) @inlinable public static func apply<T: FilterScalar>(_ r: inout T, _ g: inout T, _ b: inout T, _ k: UnsafeBufferPointer<T>) {
        r = r * k[0]; g = g * k[0]; b = b * k[0]
    }
    public static func describe(_ p: [Double]) -> String { "exposure \(formatSigned(p[0])) EV" }
}
