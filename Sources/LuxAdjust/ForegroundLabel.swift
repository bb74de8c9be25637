import Foundation
import LuxTensor

/// Foreground pseudo-labels read off a training photo's target (pop-out: the photographer desaturates the
/// background and keeps or boosts the subject's colour), and the auxiliary loss that teaches the semantic
/// adjustment maps "subject vs background" with them (`lux train adjust --foreground-weight`).
///
/// Label: with `C` the chroma box-averaged over a radius of 3 px at 512 px (scaled with the photo),
/// `r = log((C_target + 2) / (C_input + 2))` and `y = σ(6 (r − log 0.8))` (on the training set the chroma ratio is
/// bimodal, about 0.4-0.5 on the background and 1.2-2 on the subject). Confidence `clamp((C_input − 3) / 7, 0, 1)`:
/// grey pixels say nothing. The first ``subjectPresets(maps:)`` presets form the subject group: the loss is the
/// confidence-weighted binary cross-entropy of the group's total map weight against the label, so the maps stay
/// softmax presets (user-replaceable with `--map`), split into subject presets and background presets.
public enum ForegroundLabel {
    /// Presets of the subject group for a model with `maps` presets: the first half (rounded up).
    public static func subjectPresets(maps: Int) -> Int { (maps + 1) / 2 }

    /// Planar label, confidence and a zero plane (`3 * width * height`, so ``AdjustWarp/sample`` reads them) from
    /// planar input and target Lab of the same size.
    public static func planes(input: [Float], target: [Float], width w: Int, height h: Int) -> [Float] {
        let n = w * h
        precondition(input.count == 3 * n && target.count == 3 * n, "Lab planes differ in size")
        func chroma(_ lab: [Float]) -> [Float] { (0..<n).map { (lab[n + $0] * lab[n + $0] + lab[2 * n + $0] * lab[2 * n + $0]).squareRoot() } }
        let r = max(1, Int((3 * Float(max(w, h)) / 512).rounded()))
        let ci = boxBlur(chroma(input), width: w, height: h, radius: r), ct = boxBlur(chroma(target), width: w, height: h, radius: r)
        var out = [Float](repeating: 0, count: 3 * n)
        let pivot = Foundation.log(Float(0.8))
        for i in 0..<n {
            let ratio = Foundation.log((ct[i] + 2) / (ci[i] + 2))
            out[i] = 1 / (1 + Foundation.exp(-6 * (ratio - pivot)))
            out[n + i] = min(max((ci[i] - 3) / 7, 0), 1)
        }
        return out
    }

    /// Separable box mean over `(2r + 1)²` with the border replicated.
    static func boxBlur(_ x: [Float], width w: Int, height h: Int, radius r: Int) -> [Float] {
        var tmp = x, out = x
        let k = 1 / Float(2 * r + 1)
        for y in 0..<h {
            for xx in 0..<w {
                var s: Float = 0
                for d in -r...r { s += x[y * w + min(max(xx + d, 0), w - 1)] }
                tmp[y * w + xx] = s * k
            }
        }
        for y in 0..<h {
            for xx in 0..<w {
                var s: Float = 0
                for d in -r...r { s += tmp[min(max(y + d, 0), h - 1) * w + xx] }
                out[y * w + xx] = s * k
            }
        }
        return out
    }

    /// `mean_p c_p · BCE(Σ_{k<g} M_k(p), y_p)` for maps `[P, K]` (rows summing to 1), labels and confidences `[P]`;
    /// the group's weight is clamped to [1e-4, 1 − 1e-4] before the logarithms.
    public static func loss(maps: Tensor, labels: [Float], confidence: [Float], subjectPresets g: Int) -> Tensor {
        let p = maps.shape[0]
        precondition(maps.rank == 2 && labels.count == p && confidence.count == p && (1..<maps.shape[1]).contains(g), "shapes do not match")
        let fg = maps.slice([0..<p, 0..<g]).sum(axes: [1]).clamp(min: 1e-4, max: 1 - 1e-4)
        let y = Tensor(shape: [p], data: labels), c = Tensor(shape: [p], data: confidence)
        let ll = y * fg.log() + (1 - y) * (1 - fg).log()
        return (ll * c).mean() * Float(-1)
    }
}
