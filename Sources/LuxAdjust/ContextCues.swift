import Foundation

/// Hand-computed planes added to the context branch's input (``AdjustConfig/cues``), meant to help the maps find
/// the subject without a pretrained network. Computed from the context-resolution Lab (after the training warp, so
/// the frame's border is the border the cue sees, as at inference). Values roughly in [0, 1].
public enum ContextCue: String, CaseIterable, Sendable {
    /// Centre prior: `exp(−(u² + v²) / 0.5)` with `u`, `v` in −1 ... 1 across the photo.
    case centre
    /// Border-connectivity background prior: how unlike the photo's border the pixel's colour is. A Gaussian
    /// (mean and covariance, plus 4 Lab² on the diagonal) is fitted to the colours of each side's strip (6 % of the
    /// longest side); the cue is `log(1 + d) / 3`, with `d` the smallest Mahalanobis distance of the pixel's
    /// colour to the four sides' Gaussians.
    case border

    /// Parses a comma-separated list (`centre,border`); nil on an unknown or repeated name.
    public static func parseList(_ text: String) -> [ContextCue]? {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let cues = names.compactMap { ContextCue(rawValue: $0) }
        guard !cues.isEmpty, cues.count == names.count, Set(cues).count == cues.count else { return nil }
        return cues
    }

    /// This cue's plane (`width * height`) of planar Lab `lab`.
    public func plane(_ lab: [Float], width w: Int, height h: Int) -> [Float] {
        let n = w * h
        switch self {
        case .centre:
            return (0..<n).map { i in
                let u = (Float(i % w) + 0.5) / Float(w) * 2 - 1, v = (Float(i / w) + 0.5) / Float(h) * 2 - 1
                return expf(-(u * u + v * v) / 0.5)
            }
        case .border:
            let strip = max(1, Int((0.06 * Float(max(w, h))).rounded()))
            let sides: [(ClosedRange<Int>, ClosedRange<Int>)] = [
                (0...(w - 1), 0...min(strip, h) - 1), (0...(w - 1), max(h - strip, 0)...(h - 1)),
                (0...min(strip, w) - 1, 0...(h - 1)), (max(w - strip, 0)...(w - 1), 0...(h - 1)),
            ]
            // Inverse covariance and mean of each side's colours.
            let gaussians: [(mean: SIMD3<Float>, inv: [Float])] = sides.map { xs, ys in
                var s = SIMD3<Double>(), ss = [Double](repeating: 0, count: 9), c = 0.0
                for y in ys { for x in xs {
                    let i = y * w + x, v = SIMD3(Double(lab[i]), Double(lab[n + i]), Double(lab[2 * n + i]))
                    s += v; c += 1
                    for r in 0..<3 { for q in 0..<3 { ss[r * 3 + q] += v[r] * v[q] } }
                } }
                let m = s / c
                var cov = (0..<9).map { ss[$0] / c - m[$0 / 3] * m[$0 % 3] }
                for r in 0..<3 { cov[r * 4] += 4 }
                return (SIMD3<Float>(m), Self.inverse3(cov).map(Float.init))
            }
            return (0..<n).map { i in
                let v = SIMD3(lab[i], lab[n + i], lab[2 * n + i])
                var best = Float.infinity
                for g in gaussians {
                    let d = v - g.mean
                    var q: Float = 0
                    for r in 0..<3 { for c in 0..<3 { q += d[r] * g.inv[r * 3 + c] * d[c] } }
                    best = min(best, q)
                }
                return log1pf(max(best, 0).squareRoot()) / 3
            }
        }
    }

    /// Inverse of a symmetric positive-definite 3x3 matrix (row-major).
    static func inverse3(_ m: [Double]) -> [Double] {
        let a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], k = m[8]
        let A = e * k - f * h, B = -(d * k - f * g), C = d * h - e * g
        let det = a * A + b * B + c * C
        return [A, -(b * k - c * h), b * f - c * e, B, a * k - c * g, -(a * f - c * d), C, -(a * h - b * g), a * e - b * d].map { $0 / det }
    }
}
