import CLuxSIMD
#if canImport(Glibc)
import Glibc
#endif

/// Renderer kernel for a gamma with the channel gains around it, the common per-channel run
/// (exposure, white balance, gamma, exposure...): p' = h · max(g · p, 0.001)^γ per channel, one pass.
///
/// The gains before the power are not multiplied per pixel: for g > 0, max(g·p, 0.001)^γ =
/// g^γ · max(p, 0.001/g)^γ, so the kernel clamps p at a per-channel floor 0.001/g, takes the power and
/// multiplies by g^γ·h once (``outGains``), or not at all when the renderer folds that product into the
/// input gains of the curve that follows (``scaled`` false: the power alone, ~6 vector operations fewer).
///
/// Power by tables in registers (γ fixed per recipe): for x = m·2^e, m ∈ [1, 2),
/// x^γ = 2^(γe) · m^γ. The octave factor T[e] = 2^(γe) for the 16 octaves from `lowestOctave`
/// (the octave of the smallest floor, so every clamped input above it is in the table up to 2^16 × it)
/// sits in two AVX2 registers (two `vpermps` and a blend; one `vpermt2ps` in the AVX-512 loops, see
/// ``OctaveLookup``);
/// m^γ is a cubic per eighth of the octave (k = the top 3 mantissa bits), its 4 coefficients in four
/// registers (`vpermps`), evaluated in w = u/8 ∈ [−1/16, 1/16), u = the remaining mantissa bits as a
/// value in [−½, ½) (w is those bits under the exponent of 1, minus 1 + 1/16: exact, no shift).
/// About 20 vector operations per channel and a 3-deep multiply-add chain, against 27 and 13 for
/// 2^(γ·log2 x) by polynomials (``FastMath/pow(_:_:)``, kept as the exact fallback for vectors with
/// a lane outside the table's octaves).
/// Error: the cubics interpolate m^γ at Chebyshev nodes (bound |f⁗|(h/2)⁴/(4!·2³) with h = 1/8:
/// < 1e-7 relative for γ ∈ [1/3, 3]) plus Float rounding of the coefficients and evaluation; measured in tests.
public struct PowerKernel: OctaveKernel {
    /// Cubic coefficients per eighth (index k), and T[e] for the table's first and last 8 octaves.
    @usableFromInline let c0: V, c1: V, c2: V, c3: V, tLow: V, tHigh: V
    @usableFromInline let gamma: Float
    /// 127 + the lowest table octave: e − bias is the table index of an input's octave.
    @usableFromInline let bias: SIMD8<Int32>
    /// Per-channel floors 0.001/g and output gains g^γ·h.
    @usableFromInline let f0: V, f1: V, f2: V, q0: V, q1: V, q2: V
    /// Whether the kernel multiplies by its output gains (false: the caller applies ``outGains``).
    public let scaled: Bool
    /// g^γ·h, in Double for folding into the next kernel.
    public let outGains: SIMD3<Double>

    /// `pre` (each > 0) and `post`: per-channel gains before and after the gamma. With `scaled` false the
    /// kernel writes max(p, 0.001/pre)^γ and the caller must apply ``outGains``.
    public init(pre: SIMD3<Double>, gamma: Double, post: SIMD3<Double>, scaled: Bool = true) {
        precondition(Self.folds(pre), "PowerKernel: gains before the gamma must be positive")
        let floors = SIMD3<Double>(repeating: 0.001) / pre
        let out = SIMD3(Glibc.pow(pre.x, gamma), Glibc.pow(pre.y, gamma), Glibc.pow(pre.z, gamma)) * post
        (f0, f1, f2) = (V(repeating: Float(floors.x)), V(repeating: Float(floors.y)), V(repeating: Float(floors.z)))
        (q0, q1, q2) = (V(repeating: Float(out.x)), V(repeating: Float(out.y)), V(repeating: Float(out.z)))
        self.scaled = scaled
        outGains = out
        // The floors' octave (Float rounding can only raise a floor, never below 2^lowest).
        let lowest = max(-100, Int(Glibc.floor(Glibc.log2(floors.min()))))
        bias = SIMD8(repeating: Int32(127 + lowest))
        var c = [V](repeating: V(), count: 4), tl = V(), th = V()
        for k in 0..<8 {
            // m = 1 + (k + ½)/8 + u/8, u ∈ [−½, ½): interpolate at the 4 Chebyshev nodes of u.
            let nodes = (0..<4).map { 0.5 * Glibc.cos(Double.pi * (Double($0) + 0.5) / 4) }
            let values = nodes.map { Glibc.pow(1 + (Double(k) + 0.5 + $0) / 8, gamma) }
            let coef = PowerKernel.solveVandermonde(nodes, values)
            // In w = u/8 the coefficient of degree d is 8^d times that in u.
            for d in 0..<4 { c[d][k] = Float(coef[d] * Glibc.pow(8, Double(d))) }
        }
        for i in 0..<8 {
            tl[i] = Float(Glibc.pow(2, gamma * Double(lowest + i)))
            th[i] = Float(Glibc.pow(2, gamma * Double(lowest + 8 + i)))
        }
        (c0, c1, c2, c3, tLow, tHigh) = (c[0], c[1], c[2], c[3], tl, th)
        self.gamma = Float(gamma)
    }

    /// Whether gains `pre` can go into the floor and output gain (each positive and finite).
    public static func folds(_ pre: SIMD3<Double>) -> Bool { pre.min() > 0 && pre.max().isFinite }

    /// Coefficients a (a₀ + a₁u + a₂u² + a₃u³) through the 4 points (Gaussian elimination, Double).
    public static func solveVandermonde(_ x: [Double], _ y: [Double]) -> [Double] {
        let n = x.count
        var m = (0..<n).map { i in (0..<n).map { Glibc.pow(x[i], Double($0)) } + [y[i]] }
        for col in 0..<n {
            let p = (col..<n).max { abs(m[$0][col]) < abs(m[$1][col]) }!
            m.swapAt(col, p)
            for r in 0..<n where r != col {
                let f = m[r][col] / m[col][col]
                for j in col...n { m[r][j] -= f * m[col][j] }
            }
        }
        return (0..<n).map { m[$0][n] / m[$0][$0] }
    }

    /// x^γ for the lanes whose octave is in the table; `octaves` collects the octave indices so the
    /// caller can detect lanes outside [0, 16). `L` reads the octave factor from the two tables.
    @_transparent public func power<L: OctaveLookup>(_ x: V, _ octaves: inout SIMD8<Int32>, _: L.Type) -> V {
        let bits = unsafeBitCast(x, to: SIMD8<Int32>.self)
        let k = bits &>> 20                      // vpermps reads the low 3 bits: the top mantissa bits
        // The other 20 mantissa bits under the exponent of 1: 1 + (u + ½)/8, so w = u/8 exactly.
        let u = unsafeBitCast((bits & 0x000F_FFFF) | 0x3F80_0000, to: V.self) - 1.0625
        var p = lux_permute8(c3, k)
        p = lux_permute8(c2, k).addingProduct(p, u)
        p = lux_permute8(c1, k).addingProduct(p, u)
        p = lux_permute8(c0, k).addingProduct(p, u)
        let e = (bits &>> 23) &- bias
        octaves |= e
        return p * L.lookup(tLow, tHigh, e)
    }

    @_transparent public func apply<L: OctaveLookup>(_ r: inout V, _ g: inout V, _ b: inout V, _ lookup: L.Type) {
        let xr = V.maximum(r, f0), xg = V.maximum(g, f1), xb = V.maximum(b, f2)
        var octaves = SIMD8<Int32>()
        var yr = power(xr, &octaves, L.self), yg = power(xg, &octaves, L.self), yb = power(xb, &octaves, L.self)
        if lux_nonzero8(octaves & ~15) != 0 {
            // A lane beyond the table's 16 octaves (or NaN): the polynomial pow for this vector.
            yr = FastMath.pow(xr, gamma); yg = FastMath.pow(xg, gamma); yb = FastMath.pow(xb, gamma)
        }
        if scaled { yr *= q0; yg *= q1; yb *= q2 }
        r = yr; g = yg; b = yb
    }
}

/// A kernel built on ``PowerKernel``, whose octave table is read by a ``OctaveLookup`` chosen by the
/// caller (the AVX-512 loops pass their own); ``apply(_:_:_:)`` uses ``BlendLookup``.
public protocol OctaveKernel: VectorKernel {
    func apply<L: OctaveLookup>(_ r: inout V, _ g: inout V, _ b: inout V, _ lookup: L.Type)
}

extension OctaveKernel {
    @_transparent public func apply(_ r: inout V, _ g: inout V, _ b: inout V) { apply(&r, &g, &b, BlendLookup.self) }
}

/// How ``PowerKernel`` reads its 16-entry octave table (two 8-entry registers) at indices 0...15.
public protocol OctaveLookup {
    static func lookup(_ low: SIMD8<Float>, _ high: SIMD8<Float>, _ index: SIMD8<Int32>) -> SIMD8<Float>
}

/// AVX2: both registers by `vpermps`, then index bit 3, shifted to the sign bit, picks with `vblendvps`.
public enum BlendLookup: OctaveLookup {
    @inline(__always) @inlinable public static func lookup(_ low: SIMD8<Float>, _ high: SIMD8<Float>, _ index: SIMD8<Int32>) -> SIMD8<Float> {
        lux_select_sign8(index &<< 28, lux_permute8(low, index), lux_permute8(high, index))
    }
}
