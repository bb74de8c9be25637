import Foundation
import LuxImage
import LuxTensor

/// Laplacian-pyramid input tensors and Gaussian-pyramid targets for ``CorrectNetwork``, built with
/// LuxImage's ``LaplacianPyramid`` (Burt-Adelson, binomial 5-tap kernel; the paper uses
/// `[.05 .25 .4 .25 .05]`). All images of a batch have the same size, a multiple of
/// ``CorrectConfig/sizeMultiple``, so every level is exactly half the previous one.
public enum PyramidTensors {
    /// Stacks RGB planes of equally sized images into [N, 3, H, W].
    public static func stack(_ images: [Image]) -> Tensor {
        let w = images[0].width, h = images[0].height, plane = 3 * w * h
        var data = [Float](repeating: 0, count: images.count * plane)
        for (i, im) in images.enumerated() {
            precondition(im.width == w && im.height == h, "images of a batch must have one size")
            data.withUnsafeMutableBufferPointer { d in
                im.pixels.withUnsafeBufferPointer { s in
                    for k in 0..<plane { d[i * plane + k] = s[k] }
                }
            }
        }
        return Tensor(shape: [images.count, 3, h, w], data: data)
    }

    /// Sample `n` of an [N, 3, H, W] tensor as an image.
    public static func image(_ t: Tensor, sample n: Int, colorSpace: ColorSpace = .sRGB) -> Image {
        let h = t.shape[2], w = t.shape[3], plane = 3 * w * h
        return Image(width: w, height: h, channels: 3, colorSpace: colorSpace, pixels: Array(t.data[(n * plane)..<((n + 1) * plane)]))
    }

    /// The pyramid levels of `images` (finest first), level `l` multiplied by `scales[l]` (the
    /// paper's interactive S vector; nil = all 1).
    public static func levels(_ images: [Image], count: Int, scales: [Float]? = nil) -> [Tensor] {
        let pyramids = images.map { LaplacianPyramid(Image(width: $0.width, height: $0.height, channels: 3, colorSpace: $0.colorSpace,
                                                           pixels: Array($0.pixels[0..<(3 * $0.planeCount)])), levels: count) }
        return (0..<count).map { l in
            let t = stack(pyramids.map { $0.levels[l] })
            if let s = scales, s[l] != 1 { t.data = t.data.map { $0 * s[l] } }
            return t
        }
    }

    /// Targets of the pyramid loss: for level `l = 1 ..< count`, the target's Gaussian level `l`
    /// expanded to level `l - 1`'s size (what `u[l]` should be), as [N, 3, ., .] tensors.
    public static func gaussianTargets(_ images: [Image], count: Int) -> [Tensor] {
        let gs = images.map { Pyramid.gaussian($0, levels: count) }
        return (1..<count).map { l in
            stack(gs.map { g in Pyramid.expand(g[l], width: g[l - 1].width, height: g[l - 1].height) })
        }
    }
}
