/// Gamma (paper filter G): p' = max(p, 0.001)^γ per channel. γ in (1/3, 3), identity 1
/// (identity only for p ≥ 0.001, as in the paper). Renderer: pow = exp(γ ln p), polynomial, rel. error < 1e-6.
public enum Gamma: Filter {
    public static let id = "gamma"
    public static let parameters = [
        ParamSpec("gamma", (1.0 / 3)...3, identity: 1, mapping: .expTanhRange, "power applied to each channel (<1 brightens)"),
    ]
    public static func coefficients<T: CoefficientScalar>(_ p: [T]) -> [T] { [p[0]] }
    @inline(__always) @inlinable public static func apply<T: FilterScalar>(_ r: inout T, _ g: inout T, _ b: inout T, _ k: UnsafeBufferPointer<T>) {
        let floor = T(0.001)
        r = T.pow(T.maximum(r, floor), k[0])
        g = T.pow(T.maximum(g, floor), k[0])
        b = T.pow(T.maximum(b, floor), k[0])
    }
    public static func describe(_ p: [Double]) -> String { "gamma \(String(format: "%.2f", p[0]))" }
}
import Foundation
