import Foundation
import Testing
import LuxFilters
import LuxKernels
import LuxImage
import LuxTensor

private func close(_ a: (Double, Double, Double), _ b: (Double, Double, Double), _ tol: Double = 1e-5) -> Bool {
    abs(a.0 - b.0) < tol && abs(a.1 - b.1) < tol && abs(a.2 - b.2) < tol
}

@Suite("Filter known values")
struct FilterValueTests {
    let p0 = (0.2, 0.5, 0.8)

    @Test func exposurePlusOneDoubles() {
        #expect(close(Exposure.applyPixel(p0, [1]), (0.4, 1.0, 1.6), 1e-12))
        #expect(close(Exposure.applyPixel(p0, [-2]), (0.05, 0.125, 0.2), 1e-12))
    }

    @Test(arguments: FilterRegistry.all.map { $0.id })
    func identityParametersAreIdentity(id: String) throws {
        let f = try #require(FilterRegistry.filter(id: id))
        var rng = TestRNG(42)
        let img = randomImage(width: 37, height: 5, &rng, lo: 0.001, hi: 1)
        for i in 0..<img.planeCount {
            let o = f.applyPixel((Double(img.pixels[i]), Double(img.pixels[img.planeCount + i]), Double(img.pixels[2 * img.planeCount + i])), f.identityParameters)
            #expect(abs(o.0 - Double(img.pixels[i])) < 1e-6 && abs(o.2 - Double(img.pixels[2 * img.planeCount + i])) < 1e-6, "\(id) pixel \(i)")
        }
        let fast = try f.apply(to: img, f.identityParameters)
        let err = zip(fast.pixels, img.pixels).map { abs($0 - $1) }.max()!
        #expect(err < 1e-6, "\(id) renderer identity error \(err)")
    }

    @Test func paperReferenceVectors() {
        // Hu et al. reference values (research notes §3.6).
        let wb = WhiteBalance.applyPixel(p0, [WhiteBalance.parameters[0].map(0.3), WhiteBalance.parameters[1].map(-0.4)])
        // 1e-5 relative: the paper's 1e−5 normaliser epsilon is dropped here.
        #expect(close(wb, (0.182701, 0.528371, 0.604361), 1e-5))
        #expect(close(Contrast.applyPixel(p0, [0.5]), (0.191918, 0.479796, 0.767674), 2e-6))
        #expect(close(Contrast.applyPixel((1.2, 0.9, 0.3), [0.5]), (1.230193, 0.922645, 0.307548), 2e-6))
        #expect(close(BlackAndWhite.applyPixel(p0, [0.6]), (0.3422, 0.4622, 0.5822), 1e-9))
        #expect(close(Saturation.applyPixel(p0, [0.7]), (0.1776, 0.4888, 0.8), 1e-9))
        let knots = [0.5, 1, 1.5, 2, 2, 1.5, 1, 0.5]
        let xs = [0, 0.1, 0.3, 0.5, 0.9, 1.0, 1.5, -0.2], want = [0, 0.04, 0.21, 0.5, 0.96, 1, 1, 0]
        for (x, y) in zip(xs, want) { #expect(abs(ToneCurve.applyPixel((x, x, x), knots).0 - y) < 1e-9, "tone f(\(x))") }
    }

    @Test func parameterMappingsMatchPaper() {
        let xs = [-2, -0.5, 0, 0.5, 2.0]
        let e = [-3.374097, -1.617410, 0, 1.617410, 3.374097], g = [0.346770, 0.601886, 1, 1.661445, 2.883753]
        let t = [0.526979, 0.903412, 1.25, 1.596588, 1.973021], c = [0.903597, 0.953788, 1, 1.046212, 1.096403]
        for i in 0..<5 {
            #expect(abs(Exposure.parameters[0].map(xs[i]) - e[i]) < 1e-6)
            #expect(abs(Gamma.parameters[0].map(xs[i]) - g[i]) < 1e-6)
            #expect(abs(ToneCurve.parameters[0].map(xs[i]) - t[i]) < 1e-6)
            #expect(abs(ColorCurves.parameters[0].map(xs[i]) - c[i]) < 1e-6)
        }
    }

    @Test func curveKnotsAtIdentityAreIdentity() {
        let pts = CurveMath.points(ToneCurve.identityParameters)
        for (i, y) in pts.enumerated() { #expect(abs(y - Double(i) / 8) < 1e-12) }
    }

    @Test func saturationAndVibranceKeepGrey() {
        for v in [0.0, 0.05, 0.4, 0.9] {
            for s in [0.1, 0.5, 1.0] {
                let o = Saturation.applyPixel((v, v, v), [s])
                #expect(close(o, (v, v, v), 1e-12))
            }
            #expect(close(Vibrance.applyPixel((v, v, v), [0.8]), (v, v, v), 1e-12))
            let bw = BlackAndWhite.applyPixel((0.3, 0.6, 0.1), [1])
            #expect(abs(bw.0 - bw.1) < 1e-12 && abs(bw.1 - bw.2) < 1e-12)
        }
    }

    @Test func whiteBalanceAndTemperatureKeepGreyLuminance() {
        let wb = WhiteBalance.applyPixel((0.5, 0.5, 0.5), [0.3, -0.2])
        #expect(abs(0.27 * wb.0 + 0.67 * wb.1 + 0.06 * wb.2 - 0.5) < 1e-4)
        let warm = TemperatureTint.applyPixel((0.5, 0.5, 0.5), [3200, 0])
        #expect(warm.2 > warm.0, "3200 K setting should cool (blue up)")
        #expect(abs(0.27 * warm.0 + 0.67 * warm.1 + 0.06 * warm.2 - 0.5) < 1e-9)
    }

    @Test func fastMathErrors() {
        var maxExp = 0.0, maxLog = 0.0, maxCos = 0.0
        for i in 0..<4000 {
            let x = -20 + 40 * Double(i) / 4000, y = 1e-3 + 50 * Double(i) / 4000, z = Double(i) / 3999
            let e = FastMath.exp(SIMD8(repeating: Float(x)))[0], l = FastMath.log(SIMD8(repeating: Float(y)))[0]
            let c = FastMath.cosPi(SIMD8(repeating: Float(z)))[0]
            maxExp = max(maxExp, abs(Double(e) - Foundation.exp(Double(Float(x)))) / Foundation.exp(Double(Float(x))))
            maxLog = max(maxLog, abs(Double(l) - Foundation.log(Double(Float(y)))))
            maxCos = max(maxCos, abs(Double(c) - Foundation.cos(Double.pi * Double(Float(z)))))
        }
        #expect(maxExp < 1e-6, "exp rel err \(maxExp)")
        #expect(maxLog < 1e-6, "log abs err \(maxLog)")
        #expect(maxCos < 1e-6, "cosPi abs err \(maxCos)")
    }
}

