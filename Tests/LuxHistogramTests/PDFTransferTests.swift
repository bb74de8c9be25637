import Foundation
import Testing
import LuxImage
import LuxTensor
@testable import LuxHistogram

@Suite("Pitié PDF transfer")
struct PDFTransferTests {
    @Test func rotationsAreOrthonormalAndStartWithIdentity() {
        let rots = Rotation3.sequence(count: 12, seed: 5)
        #expect(rots[0] == .identity)
        for r in rots {
            for i in 0..<3 {
                for j in 0..<3 {
                    let d = (r.rows[i] * r.rows[j]).sum()
                    #expect(abs(d - (i == j ? 1 : 0)) < 1e-5)
                }
            }
        }
        #expect(Rotation3.sequence(count: 12, seed: 5) == rots)
    }

    @Test func marginalMapSendsUniformOntoUniformLinearly() {
        // Source uniform on [0, 0.5], target uniform on [0.25, 1]: t(x) = 0.25 + 1.5·x.
        let n = 4096
        var src = [Double](repeating: 0, count: n), dst = src
        let lo: Float = 0, hi: Float = 1
        for k in 0..<n {
            let c = (Double(k) + 0.5) / Double(n)
            if c < 0.5 { src[k] = 1 }
            if c >= 0.25 { dst[k] = 1 }
        }
        let map = MarginalMap.matching(source: src, target: dst, lo: lo, hi: hi)
        for x: Float in [0.01, 0.1, 0.2, 0.33, 0.49] {
            #expect(abs(map(x) - (0.25 + 1.5 * x)) < 2e-3, "t(\(x)) = \(map(x))")
        }
        // Monotone everywhere, slope 1 beyond the range.
        #expect(zip(map.knots, map.knots.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(abs(map(1.5) - map(1) - 0.5) < 1e-5)
    }

    @Test func transferMatchesMeanStdAndProjectedMarginals() {
        let image = Support.scene(128, 96)
        let target = Support.targetSamples(60_000)
        let out = PDFTransfer.transfer(image, to: target, options: .init(iterations: 20, seed: 1))
        let got = ColorSamples(image: out)
        let (mt, st) = target.meanStd(), (mo, so) = got.meanStd()
        for c in 0..<3 {
            #expect(abs(mo[c] - mt[c]) <= 0.01 * mt[c], "mean \(c): \(mo[c]) vs \(mt[c])")
            #expect(abs(so[c] - st[c]) <= 0.01 * st[c], "std \(c): \(so[c]) vs \(st[c])")
        }
        // 1-D marginals on the RGB axes, the grey axis and 6 random directions: W1 ≤ 0.004 (in [0, 1] units),
        // against ≥ 0.05 before the transfer.
        var rng = RNG(seed: 77)
        var axes: [SIMD3<Float>] = [SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1), SIMD3(1, 1, 1) / Float(3).squareRoot()]
        for _ in 0..<6 {
            let a = SIMD3(rng.normal(), rng.normal(), rng.normal())
            axes.append(a / (a * a).sum().squareRoot())
        }
        let before = ColorSamples(image: image)
        for a in axes {
            let w = Support.wasserstein1(got, target, axis: a)
            #expect(w < 0.004, "W1 on \(a) = \(w)")
        }
        #expect(Support.wasserstein1(before, target, axis: SIMD3(1, 0, 0)) > 0.05)
    }

    @Test func planAppliesTheSameToPointsAndImages() {
        let image = Support.scene(40, 30)
        let plan = PDFTransfer.plan(source: ColorSamples(image: image), target: Support.targetSamples(5000), options: .init(iterations: 5))
        var out = image
        plan.apply(to: &out)
        for i in stride(from: 0, to: image.planeCount, by: 97) {
            let p = plan.apply(SIMD3(image.pixels[i], image.pixels[1200 + i], image.pixels[2400 + i]))
            #expect(abs(p.x - out.pixels[i]) < 1e-5 && abs(p.y - out.pixels[1200 + i]) < 1e-5 && abs(p.z - out.pixels[2400 + i]) < 1e-5)
        }
    }

    @Test func transferOntoItsOwnDistributionChangesLittle() throws {
        let image = Support.scene(96, 64)
        let out = PDFTransfer.transfer(image, to: ColorSamples(image: image), options: .init(iterations: 10))
        #expect(try ImageMetrics.psnr(out, image) > 45)
    }

    @Test func reinhardMatchesLabStatistics() {
        let image = Support.scene(96, 64)
        let target = Support.targetSamples(20_000)
        let out = ReinhardTransfer.transfer(image, to: target)
        let (mt, st) = ReinhardTransfer.statistics(target), (mo, so) = ReinhardTransfer.statistics(ColorSamples(image: out))
        // Exact in lαβ up to the 1/255 floor that re-measuring applies to the few out-of-range results: 2 % of σ.
        for c in 0..<3 {
            #expect(abs(mo[c] - mt[c]) < 0.02 * st[c], "lαβ mean \(c): \(mo[c]) vs \(mt[c])")
            #expect(abs(so[c] - st[c]) < 0.02 * st[c], "lαβ std \(c): \(so[c]) vs \(st[c])")
        }
    }
}
