import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import LuxImage

@Test func psnrOfConstantOffset() throws {
    let a = randomImage(width: 40, height: 30, seed: 5).mapValues { $0 * 0.8 }
    let b = a.mapValues { $0 + 0.05 }
    // MSE = 0.0025 -> 10 log10(1 / 0.0025) = 26.0206 dB
    #expect(abs(try ImageMetrics.psnr(a, b) - 26.0206) < 1e-3)
    #expect(abs(try ImageMetrics.psnr(a, a.mapValues { $0 + 0.1 }) - 20) < 1e-3)
    #expect(try ImageMetrics.psnr(a, a) == .infinity)
    #expect(throws: ImageOpError.self) { try ImageMetrics.psnr(a, Image(width: 4, height: 4)) }
}

@Test func ssimIdentityAndDegradation() throws {
    let a = randomImage(width: 48, height: 40, seed: 2)
    #expect(abs(try ImageMetrics.ssim(a, a) - 1) < 1e-5)
    let noisy = a.mapValues { $0 * 0.5 + 0.25 }          // contrast halved
    let s = try ImageMetrics.ssim(a, noisy)
    #expect(s < 0.95 && s > 0)
    let smooth = a.resized(width: 24, height: 20, filter: .box).resized(width: 48, height: 40, filter: .bilinear)
    let s2 = try ImageMetrics.ssim(a, smooth)
    #expect(s2 < 0.9)
    #expect(throws: ImageOpError.self) { try ImageMetrics.ssim(Image(width: 8, height: 8), Image(width: 8, height: 8)) }
}

/// Pairs from Sharma, Wu & Dalal (2005), Table 1 (L1 a1 b1, L2 a2 b2, dE00).
private let sharmaPairs: [(SIMD3<Double>, SIMD3<Double>, Double)] = [
    (SIMD3(50.0000, 2.6772, -79.7751), SIMD3(50.0000, 0.0000, -82.7485), 2.0425),
    (SIMD3(50.0000, 3.1571, -77.2803), SIMD3(50.0000, 0.0000, -82.7485), 2.8615),
    (SIMD3(50.0000, -1.3802, -84.2814), SIMD3(50.0000, 0.0000, -82.7485), 1.0000),
    (SIMD3(50.0000, 0.0000, 0.0000), SIMD3(50.0000, -1.0000, 2.0000), 2.3669),
    (SIMD3(50.0000, 2.4900, -0.0010), SIMD3(50.0000, -2.4900, 0.0009), 7.1792),
    (SIMD3(50.0000, 2.4900, -0.0010), SIMD3(50.0000, -2.4900, 0.0011), 7.2195),
    (SIMD3(50.0000, -0.0010, 2.4900), SIMD3(50.0000, 0.0009, -2.4900), 4.8045),
    (SIMD3(50.0000, 2.5000, 0.0000), SIMD3(73.0000, 25.0000, -18.0000), 27.1492),
    (SIMD3(50.0000, 2.5000, 0.0000), SIMD3(56.0000, -27.0000, -3.0000), 31.9030),
    (SIMD3(60.2574, -34.0099, 36.2677), SIMD3(60.4626, -34.1751, 39.4387), 1.2644),
    (SIMD3(22.7233, 20.0904, -46.6940), SIMD3(23.0331, 14.9730, -42.5619), 2.0373),
    (SIMD3(90.9257, -0.5406, -0.9208), SIMD3(88.6381, -0.8985, -0.7239), 1.5381),
    (SIMD3(6.7747, -0.2908, -2.4247), SIMD3(5.8714, -0.0985, -2.2286), 0.6377),
    (SIMD3(2.0776, 0.0795, -1.1350), SIMD3(0.9033, -0.0636, -0.5514), 0.9082),
]

@Test func ciede2000MatchesSharmaTable() {
    for (p, q, want) in sharmaPairs {
        let d = ImageMetrics.ciede2000(p, q)
        #expect(abs(d - want) < 1e-4, "\(p) vs \(q): \(d), want \(want)")
        #expect(abs(ImageMetrics.ciede2000(q, p) - want) < 1e-4)   // symmetric
    }
}

@Test func meanCIEDE2000OfImages() throws {
    let a = randomImage(width: 16, height: 8, seed: 4)
    #expect(try ImageMetrics.meanCIEDE2000(a, a) == 0)
    // A uniform image pair: the mean equals the single-colour difference.
    let c1 = SIMD3<Float>(0.2, 0.4, 0.6), c2 = SIMD3<Float>(0.25, 0.4, 0.5)
    let i1 = Image(width: 4, height: 3, planes: [[Float](repeating: c1.x, count: 12), [Float](repeating: c1.y, count: 12), [Float](repeating: c1.z, count: 12)])
    let i2 = Image(width: 4, height: 3, planes: [[Float](repeating: c2.x, count: 12), [Float](repeating: c2.y, count: 12), [Float](repeating: c2.z, count: 12)])
    let l1 = ColorMath.lab(fromLinearRGB: c1), l2 = ColorMath.lab(fromLinearRGB: c2)
    let want = ImageMetrics.ciede2000(SIMD3(Double(l1.x), Double(l1.y), Double(l1.z)), SIMD3(Double(l2.x), Double(l2.y), Double(l2.z)))
    #expect(want > 1)
    #expect(abs(try ImageMetrics.meanCIEDE2000(i1, i2) - want) < 1e-9)
}

/// Reference: scikit-image 0.25 `structural_similarity(lum(a), lum(b), gaussian_weights=True,
/// sigma=1.5, use_sample_covariance=False, data_range=1)` on the same analytic images = 0.8330291.
@Test func ssimMatchesScikitImage() throws {
    let W = 32, H = 24
    var a = Image(width: W, height: H), b = Image(width: W, height: H)
    for y in 0..<H {
        for x in 0..<W {
            let (dx, dy) = (Double(x), Double(y))
            let v = [0.5 + 0.4 * sin(0.3 * dx + 0.2 * dy), 0.5 + 0.3 * cos(0.17 * dx * dy / 10 + 0.5), (dx + dy) / Double(W + H)]
            for c in 0..<3 {
                let f = Float(v[c])
                a[x, y, c] = f
                b[x, y, c] = max(0, Float(Double(f) * 0.8 + 0.1 + 0.05 * sin(1.3 * dx)))
            }
        }
    }
    #expect(abs(try ImageMetrics.ssim(a, b) - 0.8330291) < 1e-4)
}

@Test func meanCIEDE2000DecodesSRGBEncodedImages() throws {
    // 0.5 encoded with the sRGB curve is 0.2140411 linear: the two images are the same colour.
    let enc = Image(width: 12, height: 12, colorSpace: .sRGB, fill: 0.5)
    let lin = Image(width: 12, height: 12, colorSpace: .working, fill: 0.2140411)
    #expect(try ImageMetrics.meanCIEDE2000(enc, lin) < 1e-3)
    #expect(try ImageMetrics.meanCIEDE2000(Image(width: 12, height: 12, fill: 0.5), lin) > 10)
}
