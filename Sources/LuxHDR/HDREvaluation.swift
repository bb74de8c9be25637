import Foundation
import LuxDatasets
import LuxImage

/// The validation protocol of `lux train hdr --validate`: linear photos serve as radiance maps `H`;
/// each is over-exposed by `ev` stops (`X = 2^ev·H`), clipped at 1, encoded with `crf` and quantised to
/// 8 bits; the linearised result is reconstructed by each method. Errors are measured inside the
/// clipped region Ω = {pixels with max_c X > 1 whose source is not itself saturated (max_c H < 0.98)}:
///
/// - **log PSNR**: `10·log10(8² / MSE)` of `log2(Ĥ + 1/256)` vs `log2(X + 1/256)` (stops; peak 8 stops),
/// - **PSNR at −ev**: re-exposed by −ev (`f(clip(2^−ev·Ĥ))` vs `f(clip(H))`, the CRF's encoded values, peak 1),
///
/// pooled over all pixels and channels of Ω of all photos.
public enum HDREvaluation {
    public struct Score: Sendable {
        public var name: String
        public var logPSNR: Double
        public var psnrReexposed: Double
    }

    struct Accumulator { var logSE = 0.0, se = 0.0, count = 0 }

    /// Scores of each method (name, predictor) on `photos` (paths of linear 16-bit PNGs).
    public static func evaluate(photos: [String], methods: [(String, Reconstruction.Predictor)], crf: CameraResponse = .sRGB,
                                ev: Float = 2, maskThreshold: Float = InverseCamera.defaultMaskThreshold, maxSide: Int = 512,
                                log: (String) -> Void = { _ in }) throws -> (scores: [Score], clippedPixels: Int) {
        var acc = [Accumulator](repeating: Accumulator(), count: methods.count)
        let gain = Float(pow(2.0, Double(ev)))
        var total = 0
        for path in photos {
            let h = try LinearPhotos.load(path: path).rgb()
            let n = h.planeCount
            let x = InverseCamera.linearize(h.mapValues { (crf.encode($0 * gain) * 255).rounded() / 255 }, crf: crf)
            let region = (0..<n).filter { i in
                let m = max(h.pixels[i], max(h.pixels[n + i], h.pixels[2 * n + i]))
                return m * gain > 1 && m < 0.98
            }
            total += region.count
            var line = "\((path as NSString).lastPathComponent): \(region.count) clipped px"
            for (k, (name, predictor)) in methods.enumerated() {
                let map = Reconstruction.run(linear: x, crf: crf, maskThreshold: maskThreshold, maxSide: maxSide, predictor: predictor)
                let inv = 1 / map.gain
                var a = Accumulator()
                for i in region {
                    for c in 0..<3 {
                        let est = map.image.pixels[c * n + i] * inv, truth = h.pixels[c * n + i] * gain
                        let dl = Double(log2(est + 1.0 / 256) - log2(truth + 1.0 / 256))
                        a.logSE += dl * dl
                        let dr = Double(crf.encode(est / gain) - crf.encode(truth / gain))
                        a.se += dr * dr
                        a.count += 1
                    }
                }
                acc[k].logSE += a.logSE; acc[k].se += a.se; acc[k].count += a.count
                line += String(format: "  %@ %.2f/%.2f", name, psnr(a.logSE, a.count, peak: 8), psnr(a.se, a.count, peak: 1))
            }
            log(line)
        }
        let scores = methods.enumerated().map { k, m in
            Score(name: m.0, logPSNR: psnr(acc[k].logSE, acc[k].count, peak: 8), psnrReexposed: psnr(acc[k].se, acc[k].count, peak: 1))
        }
        return (scores, total)
    }

    static func psnr(_ se: Double, _ count: Int, peak: Double) -> Double {
        guard count > 0 else { return .nan }
        let mse = se / Double(count)
        return mse > 0 ? 10 * log10(peak * peak / mse) : .infinity
    }

    /// The table as Markdown.
    public static func table(_ scores: [Score], ev: Float, clippedPixels: Int, photos: Int) -> String {
        var s = String(format: "| method (%d photos, +%g EV, %d clipped px) | log PSNR (dB) | PSNR at %g EV (dB) |\n|---|---|---|\n",
                       photos, ev, clippedPixels, -ev)
        for r in scores { s += String(format: "| %@ | %.2f | %.2f |\n", r.name, r.logPSNR, r.psnrReexposed) }
        return s
    }
}
