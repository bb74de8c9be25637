import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import LuxImage

@Test func hsvKnownValuesAndRoundTrip() {
    let cases: [(SIMD3<Float>, SIMD3<Float>)] = [
        (SIMD3(1, 0, 0), SIMD3(0, 1, 1)), (SIMD3(0, 1, 0), SIMD3(1.0 / 3, 1, 1)),
        (SIMD3(0, 0, 1), SIMD3(2.0 / 3, 1, 1)), (SIMD3(0.5, 0.5, 0.5), SIMD3(0, 0, 0.5)),
        (SIMD3(1, 0, 1), SIMD3(5.0 / 6, 1, 1)), (SIMD3(0.2, 0.4, 0.1), SIMD3(5.0 / 18, 0.75, 0.4)),  // G max: h = (2 + (B - R) / d) / 6
    ]
    for (rgb, hsv) in cases {
        let got = ColorMath.hsv(fromRGB: rgb)
        #expect(abs(got.x - hsv.x) < 1e-5 && abs(got.y - hsv.y) < 1e-5 && abs(got.z - hsv.z) < 1e-5, "\(rgb) -> \(got)")
    }
    let img = randomImage(width: 33, height: 17, channels: 4, seed: 3)
    let hsv = img.rgbToHSV()
    #expect(hsv.plane(0).allSatisfy { $0 >= 0 && $0 < 1 })
    #expect(hsv.plane(3) == img.plane(3))
    #expect(maxAbsDiff(hsv.hsvToRGB().pixels, img.pixels) < 1e-5)
}

@Test func labOfWhiteAndSRGBRed() {
    let white = ColorMath.lab(fromLinearRGB: SIMD3(1, 1, 1))
    #expect(abs(white.x - 100) < 1e-3 && abs(white.y) < 1e-3 && abs(white.z) < 1e-3)
    let red = ColorMath.lab(fromLinearRGB: SIMD3(1, 0, 0))
    #expect(abs(red.x - 53.24) < 0.05)
    #expect(abs(red.y - 80.09) < 0.05)
    #expect(abs(red.z - 67.20) < 0.05)
    let black = ColorMath.lab(fromLinearRGB: SIMD3(0, 0, 0))
    #expect(abs(black.x) < 1e-5)
    // XYZ of white is the D65 white point
    let xyz = ColorMath.xyz(fromLinearRGB: SIMD3(1, 1, 1))
    #expect(abs(xyz.x - 0.95047) < 1e-5 && abs(xyz.y - 1) < 1e-5 && abs(xyz.z - 1.08883) < 1e-5)
}

@Test func xyzAndLabRoundTripOnImages() {
    // include very dark values to exercise the linear segment below 216/24389
    var img = randomImage(width: 20, height: 10, seed: 9)
    for i in 0..<30 { img.pixels[i] *= 0.001 }
    let xyz = img.linearRGBToXYZ()
    #expect(maxAbsDiff(xyz.xyzToLinearRGB().pixels, img.pixels) < 1e-5)
    let lab = img.linearRGBToLab()
    #expect(lab.plane(0).allSatisfy { $0 >= 0 && $0 <= 100.01 })
    #expect(maxAbsDiff(lab.labToLinearRGB().pixels, img.pixels) < 2e-5)
    #expect(maxAbsDiff(xyz.xyzToLab().pixels, lab.pixels) < 1e-3)
    #expect(maxAbsDiff(lab.labToXYZ().pixels, xyz.pixels) < 2e-5)
}

@Test func luminanceUsesRec709Weights() {
    let img = Image(width: 3, height: 1, pixels: [1, 0, 0.5, 0, 1, 0.5, 0, 0, 0.5])
    let y = img.luminance()
    #expect(abs(y[0] - 0.2126) < 1e-6 && abs(y[1] - 0.7152) < 1e-6 && abs(y[2] - 0.5) < 1e-6)
}

@Test func fastCubeRootIsAccurate() {
    var worst: Double = 0
    var x: Float = 1e-6
    while x < 1e3 {
        let got = Double(ColorMath.cbrtPositive(x)), want = referenceCbrt(Double(x))
        worst = max(worst, abs(got - want) / want)
        x *= 1.0173
    }
    #expect(worst < 5e-7)
}

private func referenceCbrt(_ x: Double) -> Double { x < 0 ? -pow(-x, 1.0 / 3) : pow(x, 1.0 / 3) }
