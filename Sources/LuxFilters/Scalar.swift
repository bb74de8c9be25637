#if canImport(Glibc)
import Glibc
#endif
import LuxKernels

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
    // minimum and maximum: LuxKernels' (the renderer kernels use them too).
    @inline(__always) @inlinable public static func exp(_ x: Self) -> Self { FastMath.exp(x) }
    @inline(__always) @inlinable public static func log(_ x: Self) -> Self { FastMath.log(x) }
    @inline(__always) @inlinable public static func cosPi(_ x: Self) -> Self { FastMath.cosPi(x) }
}
