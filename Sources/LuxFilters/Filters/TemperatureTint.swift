/// Temperature / tint (Lux extra, for Camera Raw export): the Kelvin value names the light the
/// photo is balanced for (Camera Raw convention: lower = bluer). Model: mired shift
/// Δ = 10⁶/T − 10⁶/6500, log gains (−aΔ, −b·tint, +aΔ), a = 0.0029 /mired, b = 0.0033 /tint unit,
/// normalised by luminance like ``WhiteBalance``. T in (2000, 12000) K, identity 6500; tint in
/// (−150, 150), identity 0 (positive = magenta). An approximation, not a chromatic adaptation.
public enum TemperatureTint: Filter {
    public static let id = "temperature"
    public static let parameters = [
        ParamSpec("kelvin", 2000...12000, identity: 6500, mapping: .tanhRange(initial: 6500), "white balance temperature in Kelvin"),
        ParamSpec("tint", -150...150, identity: 0, mapping: .tanhRange(initial: 0), "green (−) to magenta (+) tint"),
    ]
    public static func coefficients<T: CoefficientScalar>(_ p: [T]) -> [T] {
        let mired = T(1e6) / p[0] - T(1e6 / 6500)
        let kr = T.exp(-T(0.0029) * mired), kg = T.exp(-T(0.0033) * p[1]), kb = T.exp(T(0.0029) * mired)
        let n = T(0.27) * kr + T(0.67) * kg + T(0.06) * kb
        return [kr / n, kg / n, kb / n]
    }
    @inline(__always) @inlinable public static func apply<T: FilterScalar>(_ r: inout T, _ g: inout T, _ b: inout T, _ k: UnsafeBufferPointer<T>) {
        r = r * k[0]; g = g * k[1]; b = b * k[2]
    }
    public static func describe(_ p: [Double]) -> String {
        "temperature \(Int(p[0].rounded())) K tint \(formatSigned(p[1]))"
    }
}
import Foundation
