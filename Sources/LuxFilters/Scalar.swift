#if canImport(Glibc)
import Glibc
#endif

/// The number type a filter kernel is written in. Every filter writes its per-pixel formula once,
/// generic over this protocol, and gets three instantiations:
/// - `Double`: reference forward (tensor forward, tests);
/// - ``Dual``: forward-mode derivatives used inside the hand-written tensor backward rules;
/// - `SIMD8<Float>`: the renderer's fast path (8 pixels per call, AVX2 under `-target-cpu haswell`),
///   with polynomial `exp`/`log`/`cosPi` (see ``FastMath``).
/// Kernels must be branch-free: use `minimum`/`maximum`/`clamp`, never `if` on pixel values.
public protocol FilterScalar: Sendable {
    init(_ constant: Double)
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    static func minimum(_ a: Self, _ b: Self) -> Self
    static func maximum(_ a: Self, _ b: Self) -> Self
    /// e^x.
    static func exp(_ x: Self) -> Self
    /// Natural log, x > 0.
    static func log(_ x: Self) -> Self
    /// cos(pi x) for x in [0, 1].
    static func cosPi(_ x: Self) -> Self
    /// a·b + c (one fused multiply-add on SIMD lanes; the default rounds twice).
    static func mulAdd(_ a: Self, _ b: Self, _ c: Self) -> Self
}

/// Scalars whose value can be read (used where per-recipe coefficients need branches on values).
public protocol CoefficientScalar: FilterScalar {
    var primal: Double { get }
}

extension FilterScalar {
    @inline(__always) @inlinable public static func mulAdd(_ a: Self, _ b: Self, _ c: Self) -> Self { a * b + c }
    @inline(__always) @inlinable public static func clamp(_ x: Self, _ lo: Double, _ hi: Double) -> Self {
        minimum(maximum(x, Self(lo)), Self(hi))
    }
    @inline(__always) @inlinable public static func abs(_ x: Self) -> Self { maximum(x, -x) }
    /// x^y for x > 0, as exp(y ln x).
    @inline(__always) @inlinable public static func pow(_ x: Self, _ y: Self) -> Self { exp(y * log(x)) }
    /// tanh(x) = 1 - 2 / (e^{2x} + 1).
    @inline(__always) @inlinable public static func tanh(_ x: Self) -> Self {
        let e = exp(minimum(Self(2) * x, Self(80)))
        return Self(1) - Self(2) / (e + Self(1))
    }
    /// 1 / (1 + e^{-x}).
    @inline(__always) @inlinable public static func sigmoid(_ x: Self) -> Self { Self(1) / (Self(1) + exp(minimum(-x, Self(80)))) }
    /// Rec. 709-like luminance used by the paper: 0.27 R + 0.67 G + 0.06 B.
    /// As multiply-adds (fused on SIMD lanes, ``mulAdd(_:_:_:)``).
    @inline(__always) @inlinable public static func lum(_ r: Self, _ g: Self, _ b: Self) -> Self {
        mulAdd(Self(0.06), b, mulAdd(Self(0.67), g, Self(0.27) * r))
    }
}

extension Double: CoefficientScalar {
    @inline(__always) @inlinable public static func minimum(_ a: Double, _ b: Double) -> Double { Swift.min(a, b) }
    @inline(__always) @inlinable public static func maximum(_ a: Double, _ b: Double) -> Double { Swift.max(a, b) }
    @inline(__always) @inlinable public static func exp(_ x: Double) -> Double { Glibc.exp(x) }
    @inline(__always) @inlinable public static func log(_ x: Double) -> Double { Glibc.log(x) }
    @inline(__always) @inlinable public static func cosPi(_ x: Double) -> Double { Glibc.cos(Double.pi * x) }
    public var primal: Double { self }
}

/// A forward-mode dual number v + d·ε (ε² = 0): `d` carries the derivative along one direction.
public struct Dual: CoefficientScalar {
    public var v: Double
    public var d: Double
    @inlinable public init(_ v: Double, _ d: Double) { self.v = v; self.d = d }
    @inlinable public init(_ constant: Double) { v = constant; d = 0 }
    public var primal: Double { v }
    @inline(__always) @inlinable public static func + (a: Dual, b: Dual) -> Dual { Dual(a.v + b.v, a.d + b.d) }
    @inline(__always) @inlinable public static func - (a: Dual, b: Dual) -> Dual { Dual(a.v - b.v, a.d - b.d) }
    @inline(__always) @inlinable public static func * (a: Dual, b: Dual) -> Dual { Dual(a.v * b.v, a.d * b.v + a.v * b.d) }
    @inline(__always) @inlinable public static func / (a: Dual, b: Dual) -> Dual {
        Dual(a.v / b.v, (a.d * b.v - a.v * b.d) / (b.v * b.v))
    }
    @inlinable public static prefix func - (a: Dual) -> Dual { Dual(-a.v, -a.d) }
    @inline(__always) @inlinable public static func minimum(_ a: Dual, _ b: Dual) -> Dual { a.v <= b.v ? a : b }
    @inline(__always) @inlinable public static func maximum(_ a: Dual, _ b: Dual) -> Dual { a.v >= b.v ? a : b }
    @inline(__always) @inlinable public static func exp(_ x: Dual) -> Dual { let e = Glibc.exp(x.v); return Dual(e, e * x.d) }
    @inline(__always) @inlinable public static func log(_ x: Dual) -> Dual { Dual(Glibc.log(x.v), x.d / x.v) }
    @inline(__always) @inlinable public static func cosPi(_ x: Dual) -> Dual {
        Dual(Glibc.cos(Double.pi * x.v), -Double.pi * Glibc.sin(Double.pi * x.v) * x.d)
    }
}

/// Eight Float lanes = eight pixels. exp/log/cosPi are the polynomials in ``FastMath``.
extension SIMD8: FilterScalar where Scalar == Float {
    @inlinable public init(_ constant: Double) { self.init(repeating: Float(constant)) }
    @inline(__always) @inlinable public static func mulAdd(_ a: Self, _ b: Self, _ c: Self) -> Self { c.addingProduct(a, b) }
    @inline(__always) @inlinable public static func minimum(_ a: Self, _ b: Self) -> Self { a.replacing(with: b, where: b .< a) }
    @inline(__always) @inlinable public static func maximum(_ a: Self, _ b: Self) -> Self { a.replacing(with: b, where: b .> a) }
    @inline(__always) @inlinable public static func exp(_ x: Self) -> Self { FastMath.exp(x) }
    @inline(__always) @inlinable public static func log(_ x: Self) -> Self { FastMath.log(x) }
    @inline(__always) @inlinable public static func cosPi(_ x: Self) -> Self { FastMath.cosPi(x) }
}

/// Branch-free vector approximations for the renderer (errors measured against Double libm in tests).
public enum FastMath {
    public typealias V = SIMD8<Float>
    /// a·b + c fused (one vfmadd under -target-cpu haswell).
    @inline(__always) @inlinable static func fma(_ a: V, _ b: V, _ c: Float) -> V { V(repeating: c).addingProduct(a, b) }
    /// e^x: 2^n · e^{r}, n = round(x·log2 e), |r| ≤ ln2/2, degree-6 Taylor. Relative error < 3e-7 (truncation 1.2e-7)
    /// (Float rounding dominates) for x in [-87, 88]; inputs are clamped to that range.
    @inline(__always) @inlinable public static func exp(_ x0: V) -> V {
        let x = V.minimum(V.maximum(x0, V(repeating: -87)), V(repeating: 88))
        // Round to nearest with the 1.5·2²³ trick; the low mantissa bits of y hold n.
        let y = x * 1.442695041 + 12582912
        let n = y - 12582912
        let r = x - n * 0.693145752 - n * 1.42860677e-6
        var p = V(repeating: 1.0 / 720)
        p = FastMath.fma(p, r, (1.0 / 120))
        p = FastMath.fma(p, r, (1.0 / 24))
        p = FastMath.fma(p, r, (1.0 / 6))
        p = FastMath.fma(p, r, (0.5))
        p = FastMath.fma(p, r, (1))
        p = FastMath.fma(p, r, (1))
        let bits = (unsafeBitCast(y, to: SIMD8<Int32>.self) &- (0x4B40_0000 - 127)) &<< 23
        return p * unsafeBitCast(bits, to: V.self)
    }
    /// ln x for normal x > 0: x = m·2^e with m in [√½, √2), ln m by a degree-8 polynomial in m − 1.
    /// Absolute error < 2e-7 (fit 3.7e-8; Float rounding dominates).
    @inline(__always) @inlinable public static func log(_ x: V) -> V {
        let bits = unsafeBitCast(x, to: SIMD8<Int32>.self)
        // Exponent field as a float via the 2²³ trick (no int→float conversion call).
        var e = unsafeBitCast(((bits &>> 23) & 0xFF) | 0x4B00_0000, to: V.self) - (8388608 + 127)
        var m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F80_0000, to: V.self)
        let big = m .> 1.41421356
        m.replace(with: m * 0.5, where: big)
        e.replace(with: e + 1, where: big)
        // ln(1 + t), t = m − 1 in [√½ − 1, √2 − 1): least-squares fit t·P₇(t) on Chebyshev nodes,
        // max abs error 3.7e-8 (no division).
        let t = m - 1
        var p = V(repeating: -0.09913656121153787)
        p = FastMath.fma(p, t, (0.16338556174753222))
        p = FastMath.fma(p, t, -(0.17363152974938856))
        p = FastMath.fma(p, t, (0.1988536105134156))
        p = FastMath.fma(p, t, -(0.24957780628536638))
        p = FastMath.fma(p, t, (0.33335688092725935))
        p = FastMath.fma(p, t, -(0.5000069690374931))
        p = FastMath.fma(p, t, (0.9999998474717298))
        return p * t + e * 0.693147181
    }
    /// cos(πx) for x in [0, 1]: −sin(π(x − ½)), odd Taylor to degree 13. Absolute error < 1e-7.
    @inline(__always) @inlinable public static func cosPi(_ x: V) -> V {
        let y = (x - 0.5) * Float.pi
        let y2 = y * y
        var p = V(repeating: -1.0 / 6227020800)
        p = FastMath.fma(p, y2, (1.0 / 39916800))
        p = FastMath.fma(p, y2, -(1.0 / 362880))
        p = FastMath.fma(p, y2, (1.0 / 5040))
        p = FastMath.fma(p, y2, -(1.0 / 120))
        p = FastMath.fma(p, y2, (1.0 / 6))
        p = FastMath.fma(p, y2, -(1))
        return p * y
    }
}
