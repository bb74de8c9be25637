import CLuxSIMD

/// Renderer kernel for the 8-segment curves (tone curve, colour curves) in segment form.
///
/// With w the normalised knots (``CurveMath/normalised(_:)``), y = clip(8x, 0, 8) and segment
/// s = min(⌊y⌋, 7), the curve f(x) = Σ_i w_i clip(8x − i, 0, 1) is, on segment s,
/// f = P_s + w_s (y − s) = A_s + w_s·y with P_s = Σ_{i<s} w_i and A_s = P_s − s·w_s.
/// The two 8-entry tables (A, w) sit in one AVX2 register each and are read with `vpermps`
/// (``lux_permute8``): one convert, two permutes and one multiply-add per channel, the same
/// function as the 7-hinge form in ``CurveMath/eval(_:_:_:)`` (which the tensor path keeps) up to
/// Float rounding of the coefficients (< 1e-7 absolute on [0, 1]).
struct CurveKernel: VectorKernel {
    let ar: V, wr: V, ag: V, wg: V, ab: V, wb: V

    /// (A, w) for one channel's knots t_0...t_7.
    static func tables(_ knots: ArraySlice<Double>) -> (a: V, w: V) {
        let w = CurveMath.normalised(Array(knots))
        var a = V(), s = V(), prefix = 0.0
        for i in 0..<8 {
            a[i] = Float(prefix - Double(i) * w[i])
            s[i] = Float(w[i])
            prefix += w[i]
        }
        return (a, s)
    }

    /// Per-channel knots (R, G, B: 8 each).
    init(r: ArraySlice<Double>, g: ArraySlice<Double>, b: ArraySlice<Double>) {
        (ar, wr) = Self.tables(r); (ag, wg) = Self.tables(g); (ab, wb) = Self.tables(b)
    }

    /// The kernel of a tone-curve or colour-curves step.
    init(_ step: RecipeStep) {
        let v = step.values[...]
        if step.filter == ToneCurve.id { self.init(r: v, g: v, b: v); return }
        precondition(step.filter == ColorCurves.id, "CurveKernel: not a curve step")
        self.init(r: v[0..<8], g: v[8..<16], b: v[16..<24])
    }

    /// f per lane from the channel's tables.
    @inline(__always) static func eval(_ x: V, _ a: V, _ w: V) -> V {
        let y = V.maximum(V.minimum(x * 8, V(repeating: 8)), V(repeating: 0))
        // Truncation of y ∈ [0, 8]; 8 → 7 by the min (NaN truncates to INT32_MIN, whose low 3 bits,
        // all vpermps reads, are 0: no fault, and the NaN propagates through the multiply-add).
        let s = pointwiseMin(lux_truncate8(y), SIMD8(repeating: 7))
        return lux_permute8(a, s).addingProduct(lux_permute8(w, s), y)
    }

    @inline(__always) func apply(_ r: inout V, _ g: inout V, _ b: inout V) {
        r = Self.eval(r, ar, wr); g = Self.eval(g, ag, wg); b = Self.eval(b, ab, wb)
    }
}
