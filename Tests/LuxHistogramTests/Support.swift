import Foundation
import LuxImage
import LuxTensor
@testable import LuxHistogram

/// Shared helpers: synthetic images with known colour distributions, and distribution distances.
enum Support {
    /// `../shared/data` beside the package, nil if absent.
    static let dataDir: String? = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { break }
            url = url.deletingLastPathComponent()
        }
        let data = url.deletingLastPathComponent().appendingPathComponent("shared/data").path
        return FileManager.default.fileExists(atPath: data + "/fivek-linear/VAL.txt") ? data : nil
    }()

    /// A `w`×`h` sRGB-encoded image whose colours are a smooth scene (gradients and blobs) plus mild
    /// noise, roughly in [0.1, 0.6].
    static func scene(_ w: Int, _ h: Int, seed: UInt64 = 3) -> Image {
        var img = Image(width: w, height: h, channels: 3, colorSpace: .sRGB)
        var rng = RNG(seed: seed)
        let n = w * h
        for y in 0..<h {
            for x in 0..<w {
                let u = Float(x) / Float(w), v = Float(y) / Float(h)
                let blob = exp(-((u - 0.6) * (u - 0.6) + (v - 0.4) * (v - 0.4)) * 12)
                let i = y * w + x
                img.pixels[i] = 0.15 + 0.3 * u + 0.15 * blob + 0.02 * rng.normal()
                img.pixels[n + i] = 0.2 + 0.25 * v + 0.1 * blob + 0.02 * rng.normal()
                img.pixels[2 * n + i] = 0.35 - 0.2 * u * v + 0.05 * blob + 0.02 * rng.normal()
            }
        }
        return img
    }

    /// `count` colours from a known, non-Gaussian, correlated distribution: a 70/30 mixture of two
    /// Gaussian clusters (warm and cool), clipped to [0, 1].
    static func targetSamples(_ count: Int, seed: UInt64 = 11) -> ColorSamples {
        var rng = RNG(seed: seed)
        var v = [Float](repeating: 0, count: 3 * count)
        for i in 0..<count {
            let warm = rng.uniform() < 0.7
            let t = rng.normal()
            var c = warm ? SIMD3<Float>(0.7, 0.5, 0.3) + SIMD3(0.08, 0.06, 0.03) * t + SIMD3(rng.normal(), rng.normal(), rng.normal()) * 0.03
                         : SIMD3<Float>(0.25, 0.4, 0.65) + SIMD3(0.05, 0.05, 0.08) * t + SIMD3(rng.normal(), rng.normal(), rng.normal()) * 0.03
            c = c.clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 1))
            v[i] = c.x; v[count + i] = c.y; v[2 * count + i] = c.z
        }
        return ColorSamples(count: count, values: v)
    }

    /// Wasserstein-1 distance of the projections of two sample sets on `axis`: the mean absolute
    /// difference of their quantile functions, sampled at 2000 levels.
    static func wasserstein1(_ a: ColorSamples, _ b: ColorSamples, axis: SIMD3<Float>) -> Double {
        func quantiles(_ s: ColorSamples) -> [Float] {
            let p = (0..<s.count).map { (s[$0] * axis).sum() }.sorted()
            return (0..<2000).map { p[min(p.count - 1, Int((Double($0) + 0.5) / 2000 * Double(p.count)))] }
        }
        let qa = quantiles(a), qb = quantiles(b)
        return zip(qa, qb).reduce(0.0) { $0 + Double(abs($1.0 - $1.1)) } / 2000
    }

    /// Mean gradient-magnitude difference `mean_c,x |∇a − ∇b|` (forward differences).
    static func gradientDistance(_ a: Image, _ b: Image) -> Double {
        let w = a.width, h = a.height
        var s = 0.0
        for c in 0..<3 {
            for y in 0..<(h - 1) {
                for x in 0..<(w - 1) {
                    let gax = a[x + 1, y, c] - a[x, y, c], gay = a[x, y + 1, c] - a[x, y, c]
                    let gbx = b[x + 1, y, c] - b[x, y, c], gby = b[x, y + 1, c] - b[x, y, c]
                    s += Double(abs(gax - gbx) + abs(gay - gby))
                }
            }
        }
        return s / Double(3 * (w - 1) * (h - 1))
    }
}
