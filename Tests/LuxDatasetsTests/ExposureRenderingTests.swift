import Foundation
import Testing
import LuxImage
@testable import LuxDatasets

/// Mean Rec. 709 luminance of an sRGB-encoded image, decoded to linear light.
private func linearMeanLuminance(_ encoded: Image) -> Double {
    let n = encoded.planeCount
    var sum = 0.0
    for i in 0..<n {
        sum += 0.2126 * srgbToLinear(Double(encoded.pixels[i])) + 0.7152 * srgbToLinear(Double(encoded.pixels[n + i]))
            + 0.0722 * srgbToLinear(Double(encoded.pixels[2 * n + i]))
    }
    return sum / Double(n)
}

/// Half the linear-light width of the 8-bit sRGB code at encoded value `v`.
private func halfStep(_ v: Double) -> Double {
    (srgbToLinear(min(1, v + 0.5 / 255)) - srgbToLinear(max(0, v - 0.5 / 255))) / 2
}

@Suite("Exposure rendering convention")
struct ExposureRenderingTests {
    @Test func targetMeanLuminanceIsAbout018() {
        let (_, target) = ExposureRendering.pair(syntheticLinear(), ev: 1)
        #expect(target.colorSpace == .sRGB)
        let m = linearMeanLuminance(target)
        #expect(abs(m - 0.18) < 0.003, "mean luminance \(m)")
    }

    @Test func targetOfRealLinearPhotoIsWellExposed() throws {
        guard let data = sharedData() else { print("skipping: ../shared/data not found (CI has it)"); return }
        let linear = try LinearPhotos.load(path: data.appendingPathComponent("fivek-linear/0376.png").path)
        #expect(linear.colorSpace == .working)
        let raw = ExposureRendering.meanLuminance(linear)
        #expect(raw > 0.001 && raw < 0.15, "raw mean \(raw): fivek-linear photos are dark")
        let m = linearMeanLuminance(ExposureRendering.pair(linear, ev: 0).target)
        // Clipping of the few highlights above 1 after scaling can only lower the mean.
        #expect(m > 0.16 && m < 0.185, "mean luminance \(m)")
    }

    @Test func plusOneEVDoublesUnclippedLinearValues() {
        let (input, target) = ExposureRendering.pair(syntheticLinear(), ev: 1)
        var checked = 0
        for i in 0..<(3 * input.planeCount) {
            let tin = Double(input.pixels[i]), ttg = Double(target.pixels[i])
            guard tin < 0.99 else { continue }
            let err = abs(srgbToLinear(tin) - 2 * srgbToLinear(ttg))
            #expect(err <= halfStep(tin) + 2 * halfStep(ttg) + 1e-6, "index \(i): \(tin) vs \(ttg)")
            checked += 1
        }
        #expect(checked > input.planeCount)
    }

    @Test func overExposureClipsAtOne() {
        let base = ExposureRendering.normalized(syntheticLinear())
        let input = ExposureRendering.render(base, ev: 1.5)
        var clipped = 0
        for i in 0..<(3 * base.planeCount) where base.pixels[i] * Float(pow(2.0, 1.5)) > 1 {
            #expect(input.pixels[i] == 1)
            clipped += 1
        }
        #expect(clipped > 0, "the test image must have clipped pixels at +1.5 EV")
        #expect(input.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        // Every value is an 8-bit code.
        #expect(input.pixels.allSatisfy { abs($0 * 255 - ($0 * 255).rounded()) < 1e-3 })
    }

    @Test func cameraToneCurveIsAMonotonicSCurveOverTheSRGBCurve() {
        let c = ExposureRendering.ToneCurve.camera, srgb = ExposureRendering.ToneCurve.sRGB
        #expect(abs(c.apply(0)) < 1e-6 && abs(c.apply(1) - 1) < 1e-6)
        let xs = (0...1000).map { Float($0) / 1000 }
        let ys = xs.map(c.apply)
        #expect(zip(ys, ys.dropFirst()).allSatisfy { $0 < $1 })
        // Darker shadows, brighter highlights than the plain sRGB curve (an S around display mid-grey).
        #expect(c.apply(0.02) < srgb.apply(0.02) && c.apply(0.6) > srgb.apply(0.6))
        // The EV-0 camera rendering is close to, but not the same as, the sRGB target.
        let base = ExposureRendering.normalized(syntheticLinear())
        let a = ExposureRendering.render(base, ev: 0, curve: .camera), b = ExposureRendering.render(base, ev: 0)
        let d = zip(a.pixels, b.pixels).map { abs($0 - $1) }.max()!
        #expect(d > 0.01 && d < 0.1)
    }
}
