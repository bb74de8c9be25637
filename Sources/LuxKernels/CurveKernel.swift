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
public struct CurveKernel: VectorKernel {
    @usableFromInline let ar: V, wr: V, ag: V, wg: V, ab: V, wb: V
    /// 8 × the per-channel gains folded in front of the curve (exposure, white balance before it).
    @usableFromInline let sr: V, sg: V, sb: V
    /// False when every input is known to be positive (after a gamma, whose output is at least its
    /// floor to the γ, times positive gains): the clamp at 0 is then skipped.
    @usableFromInline let clampLow: Bool

    /// (A, w) for one channel's normalised knots w_0...w_7 (summing to 1).
    public static func tables(_ w: [Double]) -> (a: V, w: V) {
        var a = V(), s = V(), prefix = 0.0
        for i in 0..<8 {
            a[i] = Float(prefix - Double(i) * w[i])
            s[i] = Float(w[i])
            prefix += w[i]
        }
        return (a, s)
    }

    /// Per-channel normalised knots (R, G, B: 8 each, ``CurveMath/normalised(_:)``).
    public init(r: [Double], g: [Double], b: [Double], inputGains: SIMD3<Double> = SIMD3(1, 1, 1),
         positiveInput: Bool = false) {
        (ar, wr) = Self.tables(r); (ag, wg) = Self.tables(g); (ab, wb) = Self.tables(b)
        clampLow = !(positiveInput && inputGains.min() > 0)
        sr = V(repeating: Float(8 * inputGains.x)); sg = V(repeating: Float(8 * inputGains.y)); sb = V(repeating: Float(8 * inputGains.z))
    }

    /// f per lane from the channel's tables; `s` = 8 × the channel's input gain.
    @_transparent public static func eval(_ x: V, _ a: V, _ w: V, _ s: V, _ clampLow: Bool) -> V {
        // y ≤ 8 − 2⁻²¹ (the Float below 8), so the truncation is at most 7 without an integer min;
        // at y = 8 this reads A₇ + w₇·(8 − 2⁻²¹), below the exact end value 1 by w₇·2⁻²¹ < 5e-7·w₇.
        var y = V.minimum(x * s, V(repeating: 7.99999952))
        if clampLow { y = V.maximum(y, V(repeating: 0)) }
        // NaN truncates to INT32_MIN, whose low 3 bits, all vpermps reads, are 0: no fault, and the
        // NaN propagates through the multiply-add.
        let k = lux_truncate8(y)
        return lux_permute8(a, k).addingProduct(lux_permute8(w, k), y)
    }

    @_transparent public func apply(_ r: inout V, _ g: inout V, _ b: inout V) {
        r = Self.eval(r, ar, wr, sr, clampLow); g = Self.eval(g, ag, wg, sg, clampLow); b = Self.eval(b, ab, wb, sb, clampLow)
    }
}
