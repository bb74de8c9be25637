import Testing
import Foundation
@testable import LuxFilters
import LuxImage

/// Channels spanning negatives, the shadows (down to 1e-7), mid-tones and values above 1.
private func sweep(_ n: Int, seed: UInt64) -> ([Float], [Float], [Float]) {
    var s = seed
    func next() -> Double { s = s &* 6364136223846793005 &+ 1442695040888963407; return Double(s >> 11) / Double(1 << 53) }
    func value() -> Float {
        let u = next()
        if u < 0.05 { return Float(-0.1 * next()) }
        if u < 0.3 { return Float(pow(10, -7 + 6 * next())) }
        return Float(1.6 * next())
    }
    return ((0..<n).map { _ in value() }, (0..<n).map { _ in value() }, (0..<n).map { _ in value() })
}

@Suite("Renderer kernel forms")
struct KernelFormTests {
    /// Contrast through ℓ·Q(ℓ²) (no cosine, no division) against the filter's cos/division formula,
    /// both signs of α, grey ramps through ℓ = 0 and ℓ = 1, and random colours.
    @Test(arguments: [0.3, -0.7, 0.95])
    func contrastKernelMatchesFormula(amount: Double) throws {
        let recipe = Recipe([try RecipeStep("contrast", [amount])])
        let ramp = (0..<4096).map { Float(-0.05 + 1.2 * Double($0) / 4095) }
        let tiny = (0..<512).map { Float(pow(10, -9 + 6 * Double($0) / 511)) }
        let grey = ramp + tiny
        let (r, g, b) = sweep(8192, seed: 11)
        let eg = maxAbsError(recipe, grey, grey, grey), ec = maxAbsError(recipe, r, g, b)
        print("contrast \(amount): max abs error grey \(eg), colour \(ec)")
        #expect(eg < 5e-6 && ec < 5e-6)
    }

    /// Black & white with α folded into the luminance weights against the filter's formula.
    @Test func blackWhiteKernelMatchesFormula() throws {
        let (r, g, b) = sweep(8192, seed: 12)
        for amount in [0.0, 0.2, 1.0] {
            let e = maxAbsError(Recipe([try RecipeStep("blackWhite", [amount])]), r, g, b)
            #expect(e < 5e-7, "blackWhite \(amount): max abs error \(e)")
        }
    }

    /// Gains before a gamma become a per-channel floor and g^γ after the power: strong exposure both
    /// ways (the table's octave window moves with the floor), white balance, with and without a curve
    /// after (where g^γ joins the curve's input gains and the gamma pass multiplies nothing), and
    /// inputs beyond the table (the polynomial fallback).
    @Test(arguments: [-3.5, 0.7, 3.5])
    func gammaGainsFoldIntoFloorAndOutput(exposure: Double) throws {
        let (r, g, b) = sweep(8192, seed: 13)
        let big: [Float] = [80, 1e3, 5e4, 3e5, 0.5, 0.25, 1, 2]
        let steps = [try RecipeStep("exposure", [exposure]), try RecipeStep("whiteBalance", [0.1, -0.15]),
                     try RecipeStep("gamma", [0.8])]
        let curve = try RecipeStep("toneCurve", [0.8, 1.1, 1.2, 1.1, 1, 0.9, 0.9, 1.0])
        let plain = Recipe(steps + [try RecipeStep("exposure", [0.3])])
        let curved = Recipe(steps + [try RecipeStep("exposure", [0.3]), curve])
        #expect(Renderer(plain).kernels.count == 1)
        #expect(Renderer(curved, loops: .separate).kernels.count == 2)
        #expect(Renderer(curved).kernels.count == 1)   // the gamma and the curve fused into one loop
        // Relative error of the power part: compare on values well inside the Float range.
        let n = r.count + big.count
        let out = Renderer(plain).render(Image(width: n, height: 1, pixels: r + big + g + big + b + big))
        var worstRel = 0.0
        for i in 0..<n {
            let x = (i < r.count ? (r[i], g[i], b[i]) : (big[i - r.count], big[i - r.count], big[i - r.count]))
            var p = (Double(x.0), Double(x.1), Double(x.2))
            for s in plain.steps { p = s.type.applyPixel(p, s.values) }
            for (c, ref) in [p.0, p.1, p.2].enumerated() {
                worstRel = max(worstRel, abs(Double(out.pixels[c * n + i]) - ref) / ref)
            }
        }
        let curvedErr = maxAbsError(curved, r, g, b)
        print("gamma with gains folded, exposure \(exposure): max relative error \(worstRel); with a curve after: max abs error \(curvedErr)")
        #expect(worstRel < 2e-6)
        #expect(curvedErr < 2e-6)
    }

    /// Saturation in the min(V, 1 − V) form is the paper's ½ − |½ − V| form.
    @Test func saturationBoostIdentity() throws {
        let (r, g, b) = sweep(8192, seed: 14)
        let e = maxAbsError(Recipe([try RecipeStep("saturation", [0.6])]), r, g, b)
        var worst = 0.0
        for v in stride(from: -0.5, through: 1.5, by: 0.001) { worst = max(worst, abs((0.5 - abs(0.5 - v)) - min(v, 1 - v))) }
        #expect(worst < 1e-15)
        #expect(e < 2e-6, "saturation: max abs error \(e)")
    }
}
