import Foundation
import LuxTensor

/// Class reweighting of the semantic adjustment maps, so that presets covering small regions are not
/// swallowed by the large ones: each pixel's loss is weighted by its maps' inverse soft area,
/// `w(p) = Σ_k M_k(p) · (f_k + ε)^(−α)` with `f_k = mean_p M_k(p)` (the soft area of preset k in the photo),
/// normalised to mean 1 over the photo's sampled pixels (median-frequency-style balancing with the
/// soft maps in place of labels; α = 1/2 tempers the inverse frequency).
public enum MapReweighting {
    public static let alpha: Float = 0.5
    public static let epsilon: Float = 0.02

    /// Per-pixel weights `[P]` from maps `[P, K]` (rows summing to 1). Differentiable in the maps; the
    /// trainer uses it on detached maps (fixed weights per step, as class weights are).
    public static func weights(_ maps: Tensor) -> Tensor {
        precondition(maps.rank == 2, "maps must be [P, K], shape is \(maps.shape)")
        let area = maps.mean(axes: [0], keepDims: true)                  // [1, K]
        let inv = (area + epsilon).pow(-alpha)                            // [1, K]
        let raw = (maps * inv).sum(axes: [1])                             // [P]
        return raw / raw.mean()
    }

    /// `mean_p w(p) · Σ_c huber_δ(pred − target)` for predictions and targets `[P, C]`, weights `[P]`.
    public static func weightedHuber(_ prediction: Tensor, _ target: Tensor, weights: Tensor, delta: Float = 1) -> Tensor {
        precondition(prediction.shape == target.shape && weights.shape == [prediction.shape[0]], "shapes do not match")
        let h = Losses.huberElements(prediction - target, delta: delta)
        return (h.sum(axes: [1]) * weights).mean()
    }
}
