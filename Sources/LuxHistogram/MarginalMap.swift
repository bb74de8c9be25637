/// A monotone 1-D map `t = C_y⁻¹ ∘ C_x` that sends the distribution of source values `x` onto that of
/// target values `y` (1-D optimal transport by CDF matching).
///
/// Construction (Pitié's `pdf_transfer1D`, with finer bins): both sample sets are binned into `bins`
/// equal bins over the common range `[lo, hi]` (min/max of both, widened by a tiny margin); the CDFs
/// are taken at the bin edges `e_j = lo + j·Δ` with a damping term, `C(e_j) = Σ_{k<j} (p_k + δ)` normalised
/// (δ = 1e-6 relative to the pixel mass, so empty stretches still map monotonically); then knot `j` stores
/// `t(e_j) = C_y⁻¹(C_x(e_j))`, with `C_y⁻¹` the piecewise-linear inverse of the target's edge CDF.
/// The map is evaluated by linear interpolation between knots (exact for piecewise-uniform densities);
/// outside `[lo, hi]` it continues with slope 1 from the end knots.
public struct MarginalMap: Sendable, Equatable {
    public let lo: Float
    public let hi: Float
    /// `bins + 1` knot values at the bin edges.
    public let knots: [Float]

    public var bins: Int { knots.count - 1 }

    public init(lo: Float, hi: Float, knots: [Float]) {
        precondition(knots.count >= 2 && hi > lo, "a marginal map needs 2+ knots and a non-empty range")
        self.lo = lo; self.hi = hi; self.knots = knots
    }

    /// The identity over `[lo, hi]`.
    public static func identity(lo: Float = 0, hi: Float = 1) -> MarginalMap {
        MarginalMap(lo: lo, hi: hi, knots: [lo, hi])
    }

    /// `t(v)`: linear interpolation between knots; slope 1 beyond the ends.
    @inlinable public func callAsFunction(_ v: Float) -> Float {
        let n = knots.count - 1
        let scale = Float(n) / (hi - lo)
        let c = Swift.min(Swift.max(v, lo), hi)
        let t = (c - lo) * scale
        let i = Swift.min(Int(t), n - 1)
        let f = t - Float(i)
        return knots[i] + f * (knots[i + 1] - knots[i]) + (v - c)
    }

    /// Matches weighted histograms already binned over `[lo, hi]`: `source[k]`, `target[k]` are the
    /// masses of bin `k` (any positive scale; each is normalised).
    public static func matching(source: [Double], target: [Double], lo: Float, hi: Float) -> MarginalMap {
        precondition(source.count == target.count && !source.isEmpty, "histograms must have the same bin count")
        let n = source.count
        func cdf(_ h: [Double]) -> [Double] {
            let total = h.reduce(0, +)
            let damp = Swift.max(total, 1e-30) * 1e-6 / Double(n)
            var c = [Double](repeating: 0, count: n + 1)
            for k in 0..<n { c[k + 1] = c[k] + h[k] + damp }
            let last = c[n]
            for k in 0...n { c[k] /= last }
            return c
        }
        let cx = cdf(source), cy = cdf(target)
        let width = Double(hi - lo) / Double(n)
        var knots = [Float](repeating: 0, count: n + 1)
        var j = 0  // target bin whose edge CDF range [cy[j], cy[j+1]] holds the current level
        for k in 0...n {
            let level = cx[k]
            while j < n - 1 && cy[j + 1] < level { j += 1 }
            let span = cy[j + 1] - cy[j]
            let f = span > 0 ? Swift.min(Swift.max((level - cy[j]) / span, 0), 1) : 0
            knots[k] = Float(Double(lo) + (Double(j) + f) * width)
        }
        return MarginalMap(lo: lo, hi: hi, knots: knots)
    }
}
