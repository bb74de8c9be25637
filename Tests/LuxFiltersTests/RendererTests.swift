import Testing
import Foundation
import LuxFilters
import LuxImage
import LuxTensor

func eightStepRecipe() throws -> Recipe {
    Recipe([
        try RecipeStep("exposure", [0.7]),
        try RecipeStep("whiteBalance", [0.1, -0.15]),
        try RecipeStep("gamma", [0.8]),
        try RecipeStep("contrast", [0.3]),
        try RecipeStep("saturation", [0.2]),
        try RecipeStep("toneCurve", [0.8, 1.1, 1.2, 1.1, 1, 0.9, 0.9, 1.0]),
        try RecipeStep("highlightsShadows", [-0.3, 0.4]),
        try RecipeStep("vibrance", [0.25]),
    ])
}

@Suite("Renderer")
struct RendererTests {
    @Test func fusedRendererMatchesTensorForward() throws {
        var rng = TestRNG(7)
        let img = randomImage(width: 67, height: 13, &rng, lo: 0.0, hi: 1.3)
        var recipe = try eightStepRecipe()
        recipe.steps.append(try RecipeStep("colorCurves", (0..<24).map { _ in rng.uniform(0.92, 1.08) }))
        recipe.steps.append(try RecipeStep("temperature", [5200, 12]))
        recipe.steps.append(try RecipeStep("blackWhite", [0.3]))
        let fast = Renderer(recipe).render(img)
        var t = Tensor(shape: [1, 3, 13, 67], data: img.pixels)
        for s in recipe.steps {
            t = FilterOp.forward(s.type, images: t, params: Tensor(shape: [1, s.values.count], data: s.values.map(Float.init)))
        }
        let err = zip(fast.pixels, t.data).map { abs($0 - $1) }.max()!
        #expect(err < 1e-4, "max |renderer - tensor| = \(err)")
    }

    @Test func alphaIsCopiedAndOddSizesWork() throws {
        var rng = TestRNG(3)
        var px = randomImage(width: 5, height: 3, &rng).pixels
        px += (0..<15).map { Float($0) / 15 }
        let img = Image(width: 5, height: 3, channels: 4, pixels: px)
        let out = Renderer(Recipe([try RecipeStep("exposure", [1])])).render(img)
        #expect(Array(out.pixels[45...]) == Array(px[45...]))
        for i in 0..<45 { #expect(abs(out.pixels[i] - 2 * px[i]) < 1e-6) }
    }
}

@Suite("Recipe")
struct RecipeTests {
    @Test func jsonRoundTripAndDescription() throws {
        let r = try eightStepRecipe()
        let back = try Recipe.fromJSON(try r.jsonData())
        #expect(back == r)
        #expect(r.description.hasPrefix("exposure +0.70 EV; whiteBalance green=+0.10,blue=-0.15; gamma 0.80; contrast +0.30; saturation +0.20"))
    }

    @Test func setStringsAndErrors() throws {
        var r = Recipe()
        try r.set("exposure=+0.7")
        try r.set("saturation=0.2")
        try r.set("highlightsShadows.shadows=0.3")
        #expect(r.description == "exposure +0.70 EV; saturation +0.20; highlightsShadows highlights=+0.00,shadows=+0.30")
        #expect(throws: FilterError.self) { try r.set("exposure=9") }
        #expect(throws: FilterError.self) { try r.set("bogus=1") }
        let json = #"{"version": 1, "steps": [{"filter": "gamma", "params": {"gamma": 1.5}}]}"#
        #expect(try Recipe.fromJSON(Data(json.utf8)).steps[0].values == [1.5])
        let future = #"{"version": 99, "steps": []}"#
        #expect(throws: (any Error).self) { try Recipe.fromJSON(Data(future.utf8)) }
    }
}

@Suite("Filter reference")
struct ReferenceTests {
    @Test func everyParameterIsListedOnce() {
        let rows = FilterRegistry.reference.split(separator: "\n").dropFirst(2)
        #expect(rows.count == FilterRegistry.all.reduce(0) { $0 + $1.parameters.count })
        #expect(rows.contains { $0.hasPrefix("| exposure | ev | -3.5...3.5 | 0.0 |") })
        for f in FilterRegistry.all {
            #expect(Set(f.parameters.map(\.name)).count == f.parameters.count, "\(f.id) has duplicate parameter names")
            for p in f.parameters { #expect(p.range.contains(p.identity), "\(f.id).\(p.name) identity outside range") }
        }
    }
}
