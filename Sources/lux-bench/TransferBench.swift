import Foundation
import LuxHistogram
import LuxImage

/// `lux-bench transfer [runs]`: Pitié PDF transfer of a 24 MP (6000×4000) sRGB-encoded image onto a
/// reference distribution, 10 iterations + regrain, as `lux transfer --regrain` runs it (maps planned on
/// a 1 M-pixel subsample with 4096-bin histograms, applied to every pixel; regrain pyramid + Jacobi).
/// Prints each stage's median over `runs` (default 5) and the whole in MP/s.
enum TransferBench {
    /// A photo-like 24 MP image: smooth gradients, a blob and grain, so the transfer and regrain work
    /// on realistic distributions and gradients.
    static func image(_ w: Int, _ h: Int, warm: Bool) -> Image {
        var img = Image(width: w, height: h, channels: 3, colorSpace: .sRGB)
        let n = w * h
        img.pixels.withUnsafeMutableBufferPointer { p in
            nonisolated(unsafe) let q = p.baseAddress!
            Parallel.forRanges(h, minChunk: 16) { rows in
                var state = UInt32(truncatingIfNeeded: rows.lowerBound &* 2654435761 &+ 1)
                for y in rows {
                    for x in 0..<w {
                        state = state &* 1664525 &+ 1013904223
                        let noise = (Float(state >> 8) / Float(1 << 24) - 0.5) * 0.04
                        let u = Float(x) / Float(w), v = Float(y) / Float(h)
                        let blob = expf(-((u - 0.6) * (u - 0.6) + (v - 0.4) * (v - 0.4)) * 10)
                        let i = y * w + x
                        let c: SIMD3<Float> = warm ? SIMD3(0.45 + 0.4 * u, 0.3 + 0.3 * v + 0.2 * blob, 0.2 + 0.15 * u * v)
                                                   : SIMD3(0.15 + 0.3 * u + 0.15 * blob, 0.2 + 0.25 * v, 0.35 - 0.2 * u * v + 0.1 * blob)
                        q[i] = c.x + noise; q[n + i] = c.y + noise; q[2 * n + i] = c.z + noise
                    }
                }
            }
        }
        return img
    }

    static func run(arguments: [String]) throws {
        let runs = arguments.first.flatMap(Int.init) ?? 5
        let w = 6000, h = 4000, mp = Double(w * h) / 1e6
        let src = image(w, h, warm: false)
        let target = ColorSamples(image: image(1500, 1000, warm: true), limit: 1 << 20, seed: 1)
        let options = PDFTransfer.Options(iterations: 10)
        var plan = [Double](), apply = [Double](), regrain = [Double](), total = [Double]()
        for _ in 0..<runs {
            var out = src
            var p: PDFTransfer.Plan?
            let tp = FilterBench.seconds {
                p = PDFTransfer.plan(source: ColorSamples(image: src, limit: options.sampleLimit, seed: 7), target: target, options: options)
            }
            let ta = FilterBench.seconds { p!.apply(to: &out) }
            var final = out
            let tr = FilterBench.seconds { final = Regrain.apply(original: src, transferred: out) }
            precondition(final.width == w)
            plan.append(tp); apply.append(ta); regrain.append(tr); total.append(tp + ta + tr)
        }
        let med = FilterBench.median
        print("case                                   runs  plan s  apply s  regrain s  total s   MP/s")
        print(String(format: "Pitié 24 MP, 10 iterations + regrain   %4d  %6.3f  %7.3f  %9.3f  %7.3f  %5.1f",
                     runs, med(plan), med(apply), med(regrain), med(total), mp / med(total)))
        print(String(format: "Pitié 24 MP, 10 iterations (no regrain) %3d  %6.3f  %7.3f", runs, med(plan), med(apply))
              + "          -" + String(format: "  %7.3f  %5.1f", med(plan) + med(apply), mp / (med(plan) + med(apply))))
    }
}
