import Foundation
import Testing
import LuxImage
@testable import LuxHistogram

@Suite("Regrain")
struct RegrainTests {
    /// A transfer-like result with artefacts: a strong non-linear colour change, then banding
    /// (quantised to 12 levels) and amplified grain.
    static func damaged(_ image: Image) -> Image {
        var out = image
        let n = image.planeCount
        for i in 0..<n {
            for c in 0..<3 {
                let v = image.pixels[c * n + i]
                let graded = pow(min(max(v, 0), 1), c == 2 ? 1.6 : 0.6) * (c == 0 ? 1.1 : 0.9)
                out.pixels[c * n + i] = (graded * 12).rounded() / 12
            }
        }
        return out
    }

    @Test func keepsTheOriginalGradientFieldAndTheNewColours() throws {
        // 320×240: four pyramid levels, so the coarsest (40×30, φ scaled by 1/8) settles the colours.
        let original = Support.scene(320, 240)
        let transferred = Self.damaged(original)
        let regrained = Regrain.apply(original: original, transferred: transferred)

        let gradBefore = Support.gradientDistance(transferred, original)
        let gradAfter = Support.gradientDistance(regrained, original)
        #expect(gradAfter < 0.5 * gradBefore, "gradient distance \(gradAfter) vs \(gradBefore) before regrain")

        // Colours: per-channel means stay within 0.01 of the transferred ones, and the result is far
        // closer to the transferred image than to the original.
        let mt = ColorSamples(image: transferred).meanStd().mean, mr = ColorSamples(image: regrained).meanStd().mean
        for c in 0..<3 { #expect(abs(mt[c] - mr[c]) < 0.01, "mean \(c): \(mr[c]) vs \(mt[c])") }
        let toTransferred = try ImageMetrics.mse(regrained, transferred), toOriginal = try ImageMetrics.mse(regrained, original)
        #expect(toTransferred < 0.2 * toOriginal, "MSE to transfer \(toTransferred), to original \(toOriginal)")
    }

    @Test func identityWhenNothingChanged() throws {
        let original = Support.scene(64, 48)
        let out = Regrain.apply(original: original, transferred: original)
        #expect(try ImageMetrics.psnr(out, original) > 80)
    }
}
