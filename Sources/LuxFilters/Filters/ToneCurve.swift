/// Tone curve (paper filter T): L = 8 knots t_i in (0.5, 2), identical for R, G, B:
/// f(x) = Σ_i (t_i / Σt) · clip(8x − i, 0, 1), monotone piecewise linear, f(0) = 0, f(1) = 1,
/// clamps to [0, 1]. Identity: all knots equal (1). Only the knot ratios matter.
public enum ToneCurve: Filter {
    public static let knots = 8
    public static let id = "toneCurve"
    public static let parameters = (0..<8).map {
        ParamSpec("t\($0)", 0.5...2, identity: 1, mapping: .tanhRange(initial: nil), "relative slope of segment \($0) of 8")
    }
    public static func coefficients<T: CoefficientScalar>(_ p: [T]) -> [T] { CurveMath.hinge(p) }
    @inline(__always) @inlinable public static func apply<T: FilterScalar>(_ r: inout T, _ g: inout T, _ b: inout T, _ k: UnsafeBufferPointer<T>) {
        r = CurveMath.eval(r, k, 0); g = CurveMath.eval(g, k, 0); b = CurveMath.eval(b, k, 0)
    }
}

/// Colour curves (paper filter C): one 8-knot tone curve per channel, knots channel-major
/// (R t0..t7, G t0..t7, B t0..t7), each in (0.9, 1.1), identity 1. Clamps to [0, 1].
public enum ColorCurves: Filter {
    public static let id = "colorCurves"
    public static let parameters = ["r", "g", "b"].flatMap { c in
        (0..<8).map { ParamSpec("\(c)\($0)", 0.9...1.1, identity: 1, mapping: .tanhRange(initial: 1), "relative slope of \(c) segment \($0)") }
    }
    public static func coefficients<T: CoefficientScalar>(_ p: [T]) -> [T] {
        CurveMath.hinge(Array(p[0..<8])) + CurveMath.hinge(Array(p[8..<16])) + CurveMath.hinge(Array(p[16..<24]))
    }
    @inline(__always) @inlinable public static func apply<T: FilterScalar>(_ r: inout T, _ g: inout T, _ b: inout T, _ k: UnsafeBufferPointer<T>) {
        r = CurveMath.eval(r, k, 0); g = CurveMath.eval(g, k, 8); b = CurveMath.eval(b, k, 16)
    }
}

public enum CurveMath {
    /// t_i / (Σ t + 1e−30).
    public static func normalised<T: FilterScalar>(_ t: [T]) -> [T] {
        var s = T(1e-30)
        for x in t { s = s + x }
        return t.map { $0 / s }
    }
    /// Hinge form of the normalised knots: [w₀, w₁ − w₀, ..., w₇ − w₆] with w = t/Σt.
    public static func hinge<T: FilterScalar>(_ t: [T]) -> [T] {
        let w = normalised(t)
        return [w[0]] + (1..<8).map { w[$0] - w[$0 - 1] }
    }
    /// The curve f(x) = Σ_i w_i clip(8x − i, 0, 1), evaluated in the equal hinge form
    /// y = clip(8x, 0, 8), f = w₀y + Σ_{i=1}^{7} (w_i − w_{i−1})·max(y − i, 0) (7 hinges instead of 8 clamps).
    /// `k` holds ``hinge(_:)`` coefficients from offset `o`.
    @inline(__always) @inlinable public static func eval<T: FilterScalar>(_ x: T, _ k: UnsafeBufferPointer<T>, _ o: Int) -> T {
        let y = T.clamp(x * T(8), 0, 8)
        // Two interleaved partial sums: dependency chains of 4 instead of 8 multiply-adds.
        var a = y * k[o], b = T.maximum(y - T(1), T(0)) * k[o + 1]
        for i in stride(from: 2, to: 8, by: 2) {
            a = a + T.maximum(y - T(Double(i)), T(0)) * k[o + i]
            b = b + T.maximum(y - T(Double(i + 1)), T(0)) * k[o + i + 1]
        }
        return a + b
    }
    /// The curve's values at x = i/8, i = 0...8 (its 9 corner points).
    public static func points(_ t: [Double]) -> [Double] {
        let w = normalised(t)
        var y = [0.0]
        for v in w { y.append(y.last! + v) }
        return y
    }
}
