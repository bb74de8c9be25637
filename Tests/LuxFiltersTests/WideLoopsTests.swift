import Foundation
import Testing
@testable import LuxFilters
import LuxImage
import LuxKernelsAVX512

/// The renderer's AVX-512 loops (LuxKernelsAVX512) and its fused pairs of steps against one AVX2 loop
/// per step: the same 8-lane kernels in the same order, so the outputs must be equal bit for bit.
@Suite("AVX-512 renderer loops")
struct WideLoopsTests {
    /// Every kernel type the AVX-512 module has (gains, gamma with gains folded into floor and
    /// output gain, curves with input gains, saturation, contrast, black & white, the sRGB encode),
    /// on values from negatives through the shadows to beyond the gamma table's 16 octaves.
    @Test func wideLoopsEqualAVX2Loops() throws {
        let recipe = Recipe(try Recipe.eightStepExample().steps + [try RecipeStep("exposure", [-0.3]), try RecipeStep("gamma", [1.3])])
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
            let separate = Renderer(recipe, output: output, loops: .separate)
            #expect(!avx2.usesAVX512 && !separate.usesAVX512)
            #expect(best.usesAVX512 == WideLoops.available)
            #expect(best.kernels.count < separate.kernels.count && avx2.kernels.count < separate.kernels.count)
            let reference = separate.render(image).pixels
            for (name, r) in [("AVX-512", best), ("AVX2 fused", avx2)] {
                let a = r.render(image).pixels
                let differing = zip(a, reference).filter { $0.bitPattern != $1.bitPattern }.count
                print("\(name) loops (\(r.usesAVX512 ? "AVX-512" : "AVX2"), \(r.kernels.count) passes); \(output): \(differing) of \(a.count) values differ from one AVX2 loop per step (\(separate.kernels.count) passes)")
                #expect(differing == 0)
            }
        }
    }
}
