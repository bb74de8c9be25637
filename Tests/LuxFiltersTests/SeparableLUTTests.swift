import Testing
import Foundation
@testable import LuxFilters
import LuxKernels
import LuxImage
import LuxTensor

/// The exact Double composition of `recipe` on one pixel (the reference for the folded path).
private func exactPixel(_ recipe: Recipe, _ p: (Double, Double, Double)) -> (Double, Double, Double) {
    var q = p
    for s in recipe.steps { q = s.type.applyPixel(q, s.values) }
    return q
}

/// Tensor forward of every step (Double per pixel, coefficients once).
private func tensorForward(_ recipe: Recipe, _ img: Image) -> [Float] {
    var t = Tensor(shape: [1, 3, img.height, img.width], data: img.pixels)
    for s in recipe.steps {
        t = FilterOp.forward(s.type, images: t, params: Tensor(shape: [1, s.values.count], data: s.values.map(Float.init)))
    }
    return t.data
}

/// kodim03 decoded through ImageMagick to binary PPM, then sRGB → linear (IEC 61966-2-1).
private func linearKodak(_ name: String) throws -> Image? {
    let png = packageRoot().appendingPathComponent("../shared/data/kodak24/\(name).png").standardized.path
    guard FileManager.default.fileExists(atPath: png), let convert = which("convert") else { return nil }
    let ppm = FileManager.default.temporaryDirectory.appendingPathComponent("lux-lut-\(name)-\(getpid()).ppm").path
    defer { try? FileManager.default.removeItem(atPath: ppm) }
    guard try run(convert, [png, "-depth", "8", ppm]) == 0 else { return nil }
    let d = [UInt8](try Data(contentsOf: URL(fileURLWithPath: ppm)))
    // Header: "P6" w h 255, whitespace separated, then one whitespace byte.
    var fields: [String] = [], i = 0, cur = ""
    while fields.count < 4 {
        let c = d[i]; i += 1
        if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 {
            if !cur.isEmpty { fields.append(cur); cur = "" }
        } else { cur.append(Character(UnicodeScalar(c))) }
    }
    let w = Int(fields[1])!, h = Int(fields[2])!, n = w * h
    var px = [Float](repeating: 0, count: 3 * n)
    for k in 0..<n {
        for c in 0..<3 {
            let v = Double(d[i + 3 * k + c]) / 255
            px[c * n + k] = Float(v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4))
        }
    }
    return Image(width: w, height: h, pixels: px)
}

@Suite("Separable LUT")
struct SeparableLUTTests {
    /// Dense sweep: 4096 log-spaced values per octave from 2^-24 to 2^10 (plus 0, negatives, and
    /// values beyond the table) through exposure → gamma → white balance, for gamma at both ends
    /// of its range. Measured (M = 8, kink cells exact): max abs error (outputs ≤ 1.5) 8.2e-6 and max
    /// relative error 1.05e-5 at γ = 2.9 (bound γ|γ−1|/8·2^-16 = 1.05e-5), 1.1e-6 at γ = 0.8,
    /// 5.4e-7 at γ = 0.34; at the gamma floor kink ≤ 6.6e-6 relative.
    ///
    /// The exact-kernel path (``PowerKernel``: pow = 2^(γ·log2 x) by polynomials) is held to
    /// 1e-6 + 2^-23·|γ log2 x|·ln 2 relative (the Float rounding of the exponent dominates for large
    /// inputs); measured 4.6e-7 (γ = 0.34), 1.0e-6 (0.8), 3.1e-6 (2.9, inputs up to 2^10).
    @Test(arguments: [0.34, 0.8, 2.9], [Renderer.SeparablePath.table, .exact])
    func denseSweepMatchesExactPath(gamma: Double, path: Renderer.SeparablePath) throws {
        let recipe = Recipe([
            try RecipeStep("exposure", [0.7]), try RecipeStep("gamma", [gamma]),
            try RecipeStep("whiteBalance", [0.1, -0.15]),
        ])
        var xs: [Float] = [0, -0.5, -1e-3, 300, 1e6]
        for k in 0..<(34 * 4096) { xs.append(Float(pow(2.0, -24 + Double(k) / 4096))) }
        let n = xs.count
        let img = Image(width: n, height: 1, pixels: xs + xs + xs)
        let out = Renderer(recipe, separable: path).render(img)
        // Inputs whose gamma argument 2^0.7·x is within 2 cells of the floor 0.001 count as "at the kink".
        let kink = 0.001 / pow(2, 0.7)
        var maxAbs = 0.0, maxRel = 0.0, maxRelAtKink = 0.0
        for i in 0..<n {
            let ref = exactPixel(recipe, (Double(xs[i]), Double(xs[i]), Double(xs[i])))
            for (c, r) in [ref.0, ref.1, ref.2].enumerated() {
                let e = abs(Double(out.pixels[c * n + i]) - r)
                let rel = e / max(abs(r), 1e-30)
                let nearKink = abs(Double(xs[i]) / kink - 1) < 2.0 / 256
                // Exact path: relative to its bound at this input (exponent rounding grows with |z|).
                let z = gamma * log2(max(Double(xs[i]) * pow(2, 0.7), 0.001))
                let scaled = path == .exact ? rel / (1e-6 + abs(z) * 0x1p-23 * M_LN2) : rel
                if nearKink { maxRelAtKink = max(maxRelAtKink, rel) } else { maxRel = max(maxRel, scaled) }
                if r <= 1.5 { maxAbs = max(maxAbs, e) }
            }
        }
        print("\(path) sweep gamma \(gamma): max abs error (output ≤ 1.5) \(maxAbs), max rel error \(maxRel)\(path == .exact ? " (in units of the bound)" : ""), at the floor kink \(maxRelAtKink)")
        let bound = path == .exact ? 1.0 / 1.1 : gamma * abs(gamma - 1) / 8 * pow(2, -16) + 1e-6
        #expect(maxAbs < 2e-5, "max abs error \(maxAbs)")
        #expect(maxRel < bound * 1.1, "max relative error \(maxRel), bound \(bound)")
        #expect(maxRelAtKink < 2e-5, "max relative error at the gamma floor \(maxRelAtKink)")
    }

    /// Dense sweep through exposure → gamma → white balance → tone curve (one table): the curve's
    /// corners fall between nodes and are placed exactly in their cells (plain linear interpolation
    /// across them would err by h·Δf'/4 ≈ 2e-4 even at 1024 cells per octave). Measured 3.1e-7.
    @Test(arguments: [Renderer.SeparablePath.table, .exact])
    func denseSweepWithToneCurve(path: Renderer.SeparablePath) throws {
        let recipe = Recipe([
            try RecipeStep("exposure", [0.7]), try RecipeStep("gamma", [0.8]),
            try RecipeStep("whiteBalance", [0.1, -0.15]),
            try RecipeStep("toneCurve", [0.8, 1.1, 1.2, 1.1, 1, 0.9, 0.9, 1.0]),
        ])
        var xs: [Float] = [0, -0.5, 300]
        for k in 0..<(28 * 4096) { xs.append(Float(pow(2.0, -24 + Double(k) / 4096))) }
        let n = xs.count
        let out = Renderer(recipe, separable: path).render(Image(width: n, height: 1, pixels: xs + xs + xs))
        var maxAbs = 0.0
        for i in 0..<n {
            let ref = exactPixel(recipe, (Double(xs[i]), Double(xs[i]), Double(xs[i])))
            for (c, r) in [ref.0, ref.1, ref.2].enumerated() { maxAbs = max(maxAbs, abs(Double(out.pixels[c * n + i]) - r)) }
        }
        print("\(path) sweep with tone curve: max abs error \(maxAbs)")
        #expect(maxAbs < 5e-6, "max abs error \(maxAbs)")
    }

    /// A real photo (kodim03, linear): the folded renderer vs the exact Double tensor forward, on the
    /// separable run alone and on the 8-step benchmark recipe. Measured: 3.0e-7 and 4.8e-7 max abs.
    @Test func kodakPhotoMatchesExactPath() throws {
        guard let img = try linearKodak("kodim03") else {
            print("skipping: ../shared/data/kodak24/kodim03.png or ImageMagick convert not found")
            return
        }
        let separable = Recipe([
            try RecipeStep("exposure", [0.7]), try RecipeStep("gamma", [0.8]),
            try RecipeStep("whiteBalance", [0.1, -0.15]),
        ])
        var full = separable
        full.steps += [
            try RecipeStep("toneCurve", [0.8, 1.1, 1.2, 1.1, 1, 0.9, 0.9, 1.0]),
            try RecipeStep("saturation", [0.2]), try RecipeStep("contrast", [0.3]),
            try RecipeStep("colorCurves", (0..<24).map { 1 + 0.03 * sin(Double($0)) }),
            try RecipeStep("blackWhite", [0.2]),
        ]
        for (name, recipe, tol) in [("separable run", separable, 5e-6), ("8-step recipe", full, 1e-5)] {
          for path in [Renderer.SeparablePath.table, .exact] {
            let fast = Renderer(recipe, separable: path).render(img).pixels
            let ref = tensorForward(recipe, img)
            var maxAbs: Float = 0, maxRel: Float = 0
            for (a, b) in zip(fast, ref) {
                maxAbs = max(maxAbs, abs(a - b))
                if abs(b) > 1e-2 { maxRel = max(maxRel, abs(a - b) / abs(b)) }
            }
            print("\(path) kodim03 \(name): max abs error \(maxAbs), max rel error (ref > 0.01) \(maxRel)")
            #expect(Double(maxAbs) < tol, "\(path) \(name): max abs error \(maxAbs)")
          }
        }
    }
}

@Suite("Renderer kernels")
struct RendererKernelTests {
    /// FastMath.pow against Double pow over x ∈ [0.001, 2^10], γ over the filter's range.
    @Test func fastPowError() {
        var worst = 0.0
        for gamma in [1.0 / 3, 0.5, 0.8, 1.7, 3.0] {
            for k in 0..<20000 {
                let x = Float(0.001 * pow(2, 20 * Double(k) / 20000))
                let got = Double(FastMath.pow(SIMD8(repeating: x), Float(gamma))[3])
                let ref = pow(Double(x), Double(Float(gamma)))
                let z = abs(Double(Float(gamma)) * log2(Double(x)))
                worst = max(worst, abs(got - ref) / ref / (1e-6 + z * 0x1p-23 * M_LN2))
            }
        }
        print("FastMath.pow: worst relative error in units of (1e-6 + 2^-23|z|ln2): \(worst)")
        #expect(worst < 1)
    }

    /// The segment-table curve kernel equals the hinge form on [−0.5, 1.5] (clamped ends included).
    @Test func curveKernelMatchesHingeForm() throws {
        let knots = (0..<24).map { 1 + 0.08 * sin(Double($0) * 1.7) }
        let step = try RecipeStep("colorCurves", knots)
        let xs = (0..<4096).map { Float(-0.5 + 2 * Double($0) / 4095) }
        let maxAbs = maxAbsError(Recipe([step]), xs, xs, xs)
        print("curve kernel vs hinge form: max abs error \(maxAbs)")
        #expect(maxAbs < 3e-7)
    }

    /// Gains in front of a curve fold into its input scale (one pass): still the exact composition.
    @Test func gainsFoldIntoTheFollowingCurve() throws {
        let knots = (0..<24).map { 1 + 0.07 * cos(Double($0) * 0.9) }
        let recipe = Recipe([try RecipeStep("exposure", [-0.6]), try RecipeStep("whiteBalance", [0.12, -0.2]),
                             try RecipeStep("colorCurves", knots)])
        #expect(Renderer(recipe).kernels.count == 1)
        let xs = (0..<4096).map { Float(-0.2 + 2.5 * Double($0) / 4095) }
        let maxAbs = maxAbsError(recipe, xs, xs, xs)
        print("gains folded into a curve: max abs error \(maxAbs)")
        #expect(maxAbs < 5e-7)
    }

    /// Runs with two gammas go through the table (cheaper than two pow kernels) and still match.
    @Test func twoGammaRunUsesTableAndMatches() throws {
        let recipe = Recipe([
            try RecipeStep("exposure", [0.4]), try RecipeStep("gamma", [0.7]),
            try RecipeStep("toneCurve", [0.8, 1.1, 1.2, 1.1, 1, 0.9, 0.9, 1.0]), try RecipeStep("gamma", [1.3]),
        ])
        #expect(Renderer.useTable(recipe.steps, .auto))
        #expect(!Renderer.useTable(Array(recipe.steps.prefix(3)), .auto))
        let xs = (0..<8192).map { Float(pow(2.0, -12 + 14 * Double($0) / 8191)) }
        let n = xs.count, img = Image(width: n, height: 1, pixels: xs + xs + xs)
        let a = Renderer(recipe).render(img).pixels, b = Renderer(recipe, separable: .exact).render(img).pixels
        let err = zip(a, b).map { Double(abs($0 - $1)) }.max()!
        print("two-gamma run: table vs exact kernels max abs difference \(err)")
        #expect(err < 2e-5)
    }
}

@Suite("Renderer sRGB output")
struct RendererSRGBOutputTests {
    /// `output: .sRGB` = the IEC 61966-2-1 curve (Double) of the linear render, clamped to [0, 1];
    /// inputs span negatives, the linear segment, the power segment and values above 1.
    @Test func srgbOutputMatchesCurveOfLinearRender() throws {
        let recipe = Recipe([try RecipeStep("exposure", [0.3]), try RecipeStep("contrast", [0.2])])
        let xs = (0..<6000).map { Float(-0.05 + 1.5 * pow(Double($0) / 5999, 3)) }
        let n = xs.count, img = Image(width: n, height: 1, pixels: xs + xs + xs)
        let linear = Renderer(recipe).render(img)
        let display = Renderer(recipe, output: .sRGB).render(img)
        #expect(display.colorSpace == .sRGB)
        var maxErr = 0.0
        for (l, d) in zip(linear.pixels, display.pixels) {
            let x = min(max(Double(l), 0), 1)
            let ref = x <= 0.0031308 ? 12.92 * x : 1.055 * pow(x, 1 / 2.4) - 0.055
            maxErr = max(maxErr, abs(Double(d) - ref))
        }
        print("sRGB output kernel: max abs error vs Double curve \(maxErr)")
        #expect(maxErr < 1e-6)
    }
}
