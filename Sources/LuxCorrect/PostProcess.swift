import Foundation
import LuxImage

/// The two optional post-processing steps of Afifi et al.'s demo (off in the paper's results).
public enum PostProcess {
    /// Mertens exposure fusion of `images` (same size, sRGB-encoded): per-pixel weight
    /// `W = C·S·E` (C = |Laplacian of grey| with kernel [0 1 0; 1 −4 1; 0 1 0], S = std of R, G, B,
    /// E = Π_c exp(−(I_c − 0.5)² / (2·0.2²))), normalised over the images (+1e−12), then
    /// `Σ_k G(W_k)·L(I_k)` over a full-depth pyramid and collapse. Output clipped to [0, 1].
    public static func fuse(_ images: [Image]) -> Image {
        let w = images[0].width, h = images[0].height, n = w * h
        var weights: [[Float]] = images.map { im in
            let r = im.plane(0), g = im.plane(1), b = im.plane(2)
            var grey = [Float](repeating: 0, count: n)
            for i in 0..<n { grey[i] = 0.299 * r[i] + 0.587 * g[i] + 0.114 * b[i] }
            var out = [Float](repeating: 0, count: n)
            for y in 0..<h {
                for x in 0..<w {
                    let i = y * w + x
                    let up = grey[(y > 0 ? y - 1 : y) * w + x], dn = grey[(y < h - 1 ? y + 1 : y) * w + x]
                    let lf = grey[y * w + (x > 0 ? x - 1 : x)], rt = grey[y * w + (x < w - 1 ? x + 1 : x)]
                    let c = abs(up + dn + lf + rt - 4 * grey[i])
                    let m = (r[i] + g[i] + b[i]) / 3
                    let s = ((r[i] - m) * (r[i] - m) + (g[i] - m) * (g[i] - m) + (b[i] - m) * (b[i] - m)) / 3
                    let e = exp(-((r[i] - 0.5) * (r[i] - 0.5) + (g[i] - 0.5) * (g[i] - 0.5) + (b[i] - 0.5) * (b[i] - 0.5)) / 0.08)
                    out[i] = c * s.squareRoot() * e + 1e-12
                }
            }
            return out
        }
        for i in 0..<n {
            var s: Float = 0
            for k in weights.indices { s += weights[k][i] }
            for k in weights.indices { weights[k][i] /= s }
        }
        let depth = max(1, Int(log2(Double(min(w, h)))))
        var blended: [Image]? = nil
        for (k, im) in images.enumerated() {
            let lap = LaplacianPyramid(im.rgb(), levels: depth)
            let gw = Pyramid.gaussian(Image(width: w, height: h, channels: 3, colorSpace: im.colorSpace, pixels: weights[k] + weights[k] + weights[k]), levels: depth)
            let terms = zip(lap.levels, gw).map { band, wt -> Image in
                var b = band
                let m = band.planeCount
                for c in 0..<3 { for i in 0..<m { b.pixels[c * m + i] *= wt.pixels[i] } }
                return b
            }
            if var acc = blended {
                for l in acc.indices { for i in acc[l].pixels.indices { acc[l].pixels[i] += terms[l].pixels[i] } }
                blended = acc
            } else {
                blended = terms
            }
        }
        return LaplacianPyramid(levels: blended!).collapse().clamped(to: 0...1)
    }

    /// Global histogram stretch: `lo`, `hi` = the 1st and 99th percentiles of all R, G, B values
    /// (MATLAB `stretchlim`'s default saturation; the demo code uses the red channel's limits for all
    /// channels, Lux pools the three), then `clip((I − lo) / (hi − lo), 0, 1)`. Unchanged if `hi − lo < 1/255`.
    public static func histogramAdjust(_ image: Image, saturation: Float = 0.01) -> Image {
        let bins = 4096
        var counts = [Int](repeating: 0, count: bins)
        let m = 3 * image.planeCount
        for i in 0..<m { counts[min(bins - 1, max(0, Int(image.pixels[i] * Float(bins - 1) + 0.5)))] += 1 }
        func percentile(_ q: Float) -> Float {
            let target = Int(Float(m) * q)
            var acc = 0
            for b in 0..<bins { acc += counts[b]; if acc > target { return Float(b) / Float(bins - 1) } }
            return 1
        }
        let lo = percentile(saturation), hi = percentile(1 - saturation)
        guard hi - lo >= 1 / 255 else { return image }
        var out = image
        let s = 1 / (hi - lo)
        for i in 0..<m { out.pixels[i] = min(max((image.pixels[i] - lo) * s, 0), 1) }
        return out
    }
}
