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
    /// 8 × the per-channel gains folded in front of the curve (exposure, white balance before it).
    let sr: V, sg: V, sb: V
    /// False when every input is known to be positive (after a gamma, whose output is at least its
    /// floor to the γ, times positive gains): the clamp at 0 is then skipped.
    let clampLow: Bool

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
    init(r: ArraySlice<Double>, g: ArraySlice<Double>, b: ArraySlice<Double>, inputGains: SIMD3<Double> = SIMD3(1, 1, 1),
         positiveInput: Bool = false) {
        (ar, wr) = Self.tables(r); (ag, wg) = Self.tables(g); (ab, wb) = Self.tables(b)
        clampLow = !(positiveInput && inputGains.min() > 0)
        sr = V(repeating: Float(8 * inputGains.x)); sg = V(repeating: Float(8 * inputGains.y)); sb = V(repeating: Float(8 * inputGains.z))
    }

    /// The kernel of a tone-curve or colour-curves step, with per-channel gains applied to its input.
    init(_ step: RecipeStep, inputGains: SIMD3<Double> = SIMD3(1, 1, 1), positiveInput: Bool = false) {
        let v = step.values[...]
        if step.filter == ToneCurve.id { self.init(r: v, g: v, b: v, inputGains: inputGains, positiveInput: positiveInput); return }
        precondition(step.filter == ColorCurves.id, "CurveKernel: not a curve step")
        self.init(r: v[0..<8], g: v[8..<16], b: v[16..<24], inputGains: inputGains, positiveInput: positiveInput)
    }

    /// f per lane from the channel's tables; `s` = 8 × the channel's input gain.
    @inline(__always) static func eval(_ x: V, _ a: V, _ w: V, _ s: V, _ clampLow: Bool) -> V {
        // y ≤ 8 − 2⁻²¹ (the Float below 8), so the truncation is at most 7 without an integer min;
        // at y = 8 this reads A₇ + w₇·(8 − 2⁻²¹), below the exact end value 1 by w₇·2⁻²¹ < 5e-7·w₇.
        var y = V.minimum(x * s, V(repeating: 7.99999952))
        if clampLow { y = V.maximum(y, V(repeating: 0)) }
        // NaN truncates to INT32_MIN, whose low 3 bits, all vpermps reads, are 0: no fault, and the
        // NaN propagates through the multiply-add.
        let k = lux_truncate8(y)
        return lux_permute8(a, k).addingProduct(lux_permute8(w, k), y)
    }

    @inline(__always) func apply(_ r: inout V, _ g: inout V, _ b: inout V) {
        r = Self.eval(r, ar, wr, sr, clampLow); g = Self.eval(g, ag, wg, sg, clampLow); b = Self.eval(b, ab, wb, sb, clampLow)
    }
}
