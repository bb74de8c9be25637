import Foundation
import Testing
@testable import LuxFilters
import LuxImage
import LuxKernelsAVX512

/// The renderer's AVX-512 loops (LuxKernelsAVX512) against its AVX2 loops: the same 8-lane kernels
/// compiled twice, so the outputs must be equal bit for bit.
@Suite("AVX-512 renderer loops")
struct WideLoopsTests {
    /// Every kernel type the AVX-512 module has (gains, gamma with gains folded into floor and
    /// output gain, curves with input gains, saturation, contrast, black & white, the sRGB encode),
    /// on values from negatives through the shadows to beyond the gamma table's 16 octaves.
    @Test func wideLoopsEqualAVX2Loops() throws {
        let recipe = Recipe([
            try RecipeStep("exposure", [0.7]),
            try RecipeStep("gamma", [0.8]),
            try RecipeStep("whiteBalance", [0.1, -0.15]),
            try RecipeStep("toneCurve", [0.8, 1.1, 1.2, 1.1, 1, 0.9, 0.9, 1.0]),
            try RecipeStep("saturation", [0.2]),
            try RecipeStep("contrast", [0.3]),
            try RecipeStep("colorCurves", [1.02, 0.98, 1.0, 1.03, 0.97, 1.0, 1.01, 0.99,
                                           1.0, 1.0, 1.02, 0.98, 1.0, 1.0, 1.01, 0.99,
                                           0.97, 1.03, 1.0, 1.0, 0.99, 1.01, 1.0, 1.0]),
            try RecipeStep("blackWhite", [0.2]),
            try RecipeStep("exposure", [-0.3]),
            try RecipeStep("gamma", [1.3]),
        ])
        var rng = TestRNG(21)
        let w = 203, h = 37   // 7511 pixels: full blocks and a ragged tail
        let values: [Float] = (0..<(3 * w * h)).map { i in
            switch i % 7 {
            case 0: return Float(-0.2 * rng.next())
            case 1: return Float(pow(10, -9 + 8 * rng.next()))
            case 2: return Float(1e5 * rng.next())             // beyond the gamma table: polynomial fallback
            default: return Float(1.5 * rng.next())
            }
        }
        let image = Image(width: w, height: h, pixels: values)
        for output in [Renderer.Output.linear, .sRGB] {
            let best = Renderer(recipe, output: output), avx2 = Renderer(recipe, output: output, loops: .avx2)
            #expect(!avx2.usesAVX512)
            #expect(best.usesAVX512 == WideLoops.available)
            let a = best.render(image).pixels, b = avx2.render(image).pixels
            let differing = zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count
            print("AVX-512 loops \(best.usesAVX512 ? "used" : "not available"); \(output): \(differing) of \(a.count) values differ from the AVX2 loops")
            #expect(differing == 0)
        }
    }
}
