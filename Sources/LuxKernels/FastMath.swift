#if canImport(Glibc)
import Glibc
#endif

extension SIMD8 where Scalar == Float {
    /// Lane-wise min and max as compare-and-blend (vminps/vmaxps; NaN in `a` is kept).
    @inline(__always) @inlinable public static func minimum(_ a: Self, _ b: Self) -> Self { a.replacing(with: b, where: b .< a) }
    @inline(__always) @inlinable public static func maximum(_ a: Self, _ b: Self) -> Self { a.replacing(with: b, where: b .> a) }
}

/// Branch-free vector approximations for the renderer (errors measured against Double libm in tests).
public enum FastMath {
    public typealias V = SIMD8<Float>
    /// a·b + c fused (one vfmadd under -target-cpu haswell).
    @inline(__always) @inlinable public static func fma(_ a: V, _ b: V, _ c: Float) -> V { V(repeating: c).addingProduct(a, b) }
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

extension FastMath {
    /// x^y = 2^(y·log2 x) for normal x > 0 and |y·log2 x| < 126 (larger results saturate at 2^126).
    /// log2: x = m·2^e with m ∈ [√½, √2) found by integer arithmetic on the bits (no compare),
    /// log2 m = t·P₆(t), t = m − 1, least-squares fit on Chebyshev nodes, abs error 3.4e-7;
    /// 2^z = 2^k·2^r, k = round(z), r ∈ [−½, ½], degree-5 fit, relative error 7.7e-8.
    /// Relative error of the result < 1e-6 + 2^-23·|z|·ln 2 (the Float rounding of z). Measured in tests.
    @inline(__always) @inlinable public static func pow(_ x: V, _ y: Float) -> V {
        let bits = unsafeBitCast(x, to: SIMD8<Int32>.self)
        // e = ⌊log2(x/√½)⌋: subtracting the bits of √½ carries into the exponent field exactly there.
        let e = (bits &- 0x3F35_04F3) &>> 23
        let m = unsafeBitCast(bits &- (e &<< 23), to: V.self)
        let t = m - 1
        var p = V(repeating: 0.16517534650432125)
        p = FastMath.fma(p, t, -0.270926706970546)
        p = FastMath.fma(p, t, 0.29826039802991544)
        p = FastMath.fma(p, t, -0.3592039476850188)
        p = FastMath.fma(p, t, 0.48040237631522303)
        p = FastMath.fma(p, t, -0.7213683925876196)
        p = FastMath.fma(p, t, 1.4427010104140445)
        // e as a float by the 1.5·2²³ trick (|e| < 2²²), then log2 x = e + t·P(t).
        let ef = unsafeBitCast(e &+ 0x4B40_0000, to: V.self) - 12582912
        let l = ef.addingProduct(t, p)
        let z = V.minimum(l * y, V(repeating: 126))
        // k = round(z) with the 1.5·2²³ trick; its low mantissa bits hold k.
        let big = z + 12582912
        let k = big - 12582912
        let r = z - k
        var q = V(repeating: 0.0013266970386459644)
        q = FastMath.fma(q, r, 0.0096754597455215)
        q = FastMath.fma(q, r, 0.05550742616002251)
        q = FastMath.fma(q, r, 0.24022121753561657)
        q = FastMath.fma(q, r, 0.693146949161064)
        q = FastMath.fma(q, r, 1.000000071029699)
        let scale = (unsafeBitCast(big, to: SIMD8<Int32>.self) &- (0x4B40_0000 - 127)) &<< 23
        return q * unsafeBitCast(scale, to: V.self)
    }
}

