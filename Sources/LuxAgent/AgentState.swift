import Foundation
import LuxImage
import LuxTensor

/// The agent's observation (§4.1 of the paper): the current thumbnail plus constant planes for the
/// step count and for each filter already used.
public enum AgentState {
    /// Display encoding used for the networks' input and the supervised distance:
    /// `e(x) = clamp(x, 1e-4, 1)^(1/2.2)` (a differentiable stand-in for the sRGB curve, max deviation ~0.03).
    public static func encode(_ linear: Tensor) -> Tensor { linear.clamp(min: 1e-4, max: 1).pow(1 / 2.2) }

    /// State tensor [N, 3 + 1 + F, S, S]: `e(image) − 0.5`, then `step / maxSteps`, then one plane per
    /// filter (1 if used). `images` is [N, 3, S, S] linear; no gradient flows into the state.
    public static func tensor(images: Tensor, step: Int, used: [[Bool]], config: AgentConfig) -> Tensor {
        let n = images.shape[0], hw = images.shape[2] * images.shape[3]
        let c = config.stateChannels
        let enc = GradMode.withoutGrad { encode(images) }
        var d = [Float](repeating: 0, count: n * c * hw)
        let stepValue = Float(step) / Float(config.maxSteps)
        for s in 0..<n {
            let base = s * c * hw
            for i in 0..<(3 * hw) { d[base + i] = enc.data[s * 3 * hw + i] - 0.5 }
            for i in 0..<hw { d[base + 3 * hw + i] = stepValue }
            for f in 0..<config.filters.count where used[s][f] {
                let o = base + (4 + f) * hw
                for i in 0..<hw { d[o + i] = 1 }
            }
        }
        return Tensor(shape: [n, c, images.shape[2], images.shape[3]], data: d)
    }

    /// The agent's thumbnail of a working-space image: the **whole frame** squashed to `side`x`side` with
    /// the box (area) filter. The filters are global, per-pixel operations, so distorting the aspect
    /// ratio changes what the agent sees only through the relative weight of regions, not the edit.
    public static func thumbnail(_ image: Image, side: Int) -> Image {
        var img = image.rgb()
        if img.width != side || img.height != side { img = img.resized(width: side, height: side, filter: .box) }
        return img
    }

    /// Image (first 3 planes) -> [1, 3, H, W].
    public static func tensor(_ image: Image) -> Tensor {
        let n = 3 * image.width * image.height
        return Tensor(shape: [1, 3, image.height, image.width], data: Array(image.pixels[0..<n]))
    }

    /// Sample `s` of [N, 3, H, W] -> working-space image.
    public static func image(_ t: Tensor, sample s: Int = 0) -> Image {
        let h = t.shape[2], w = t.shape[3], n = 3 * h * w
        return Image(width: w, height: h, channels: 3, colorSpace: .working, pixels: Array(t.data[(s * n)..<((s + 1) * n)]))
    }
}
