import Foundation
import Testing
import LuxImage
import LuxTensor
import LuxFilters
import LuxAgent

@Test func forwardIsDeterministicForASeed() throws {
    var r1 = RNG(seed: 42), r2 = RNG(seed: 42), r3 = RNG(seed: 43)
    let a = AgentActor(config: tinyConfig, paramCounts: try tinyConfig.filterTypes().map { $0.parameters.count }, rng: &r1)
    let b = AgentActor(config: tinyConfig, paramCounts: try tinyConfig.filterTypes().map { $0.parameters.count }, rng: &r2)
    let c = AgentActor(config: tinyConfig, paramCounts: try tinyConfig.filterTypes().map { $0.parameters.count }, rng: &r3)
    let x = AgentState.tensor(images: AgentState.tensor(smoothImage(width: 64, height: 64)), step: 1,
                              used: [[true] + [Bool](repeating: false, count: 7)], config: tinyConfig)
    var none: RNG? = nil
    let (pa, la) = a(x, dropout: &none)
    let (pb, lb) = b(x, dropout: &none)
    let (_, lc) = c(x, dropout: &none)
    #expect(la.data == lb.data)
    #expect(zip(pa, pb).allSatisfy { $0.data == $1.data })
    #expect(la.data != lc.data)
    #expect(la.shape == [1, tinyConfig.actionCount])
    #expect(pa.map { $0.shape[1] } == [1, 1, 2, 1, 8, 24, 1, 1])

    let agent = try EnhanceAgent(actor: a)
    let img = smoothImage(width: 100, height: 70)
    let r0 = agent.recipe(for: img).recipe, r0b = agent.recipe(for: img).recipe
    #expect(r0 == r0b)
    let s1 = agent.recipe(for: img, seed: 5).recipe, s1b = agent.recipe(for: img, seed: 5).recipe
    #expect(s1 == s1b)
}

@Test func thumbnailDecisionMatchesFullResolutionRender() throws {
    var rng = RNG(seed: 3)
    let actor = AgentActor(config: tinyConfig, paramCounts: try tinyConfig.filterTypes().map { $0.parameters.count }, rng: &rng)
    // Bias the selector towards exposure so the recipe is not empty.
    actor.selector.bias!.data[0] = 50
    let agent = try EnhanceAgent(actor: actor)
    let full = smoothImage(width: 320, height: 256)
    let result = agent.enhance(full)
    #expect(!result.recipe.steps.isEmpty)
    #expect(result.thumbnails.count == result.recipe.steps.count + 1)
    let down = AgentState.thumbnail(result.image, side: 64)
    let mine = result.thumbnails.last!
    var maxDiff: Float = 0
    for i in 0..<(3 * 64 * 64) { maxDiff = max(maxDiff, abs(down.pixels[i] - mine.pixels[i])) }
    #expect(maxDiff < 0.01, "full-resolution render, downsampled, differs from the agent's thumbnail by \(maxDiff)")
}

@Test func configRoundTripsThroughModelFile() throws {
    let data = TrainingData(.pairs(zip(randomThumbs(2, seed: 1), randomThumbs(2, seed: 2)).map { ($0, $1) }), side: 64)
    let trainer = try AgentTrainer(config: tinyConfig, options: TrainerOptions(mode: .supervised, batch: 2, seed: 9), data: data)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lux-agent-\(UUID()).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try trainer.saveModel(to: url, dtype: .f32)
    let loaded = try EnhanceAgent(contentsOf: url)
    #expect(loaded.config == tinyConfig)
    let img = smoothImage(width: 90, height: 60)
    let inMemory = try EnhanceAgent(actor: trainer.actor)
    #expect(loaded.recipe(for: img).recipe == inMemory.recipe(for: img).recipe)
    #expect(throws: AgentError.self) { try AgentConfig(metadata: ["lux.agent.filters": "exposure"]) }
}

/// The training sample sheet draws each tile's operation under it: "INPUT", the chosen filter's name
/// and value, "TARGET"; the label pixels are exactly the font's ink.
@Test func sampleSheetLabelsTilesWithTheirOperations() throws {
    var rng = RNG(seed: 3)
    let actor = AgentActor(config: tinyConfig, paramCounts: try tinyConfig.filterTypes().map { $0.parameters.count }, rng: &rng)
    actor.selector.bias!.data[0] = 50  // exposure first
    let agent = try EnhanceAgent(actor: actor)
    let inputs = [smoothImage(width: 80, height: 64), smoothImage(width: 64, height: 90, phase: 1)]
    let sheet = SampleSheet.render(agent: agent, inputs: inputs, targets: inputs)
    let recipe = agent.recipe(for: inputs[0]).recipe
    #expect(recipe.steps.first?.filter == "exposure")
    #expect(sheet.lines[0] == "row 0: \(recipe.description)")
    let img = sheet.image, side = tinyConfig.thumbnail, gap = 4
    /// Whether the label `text` is drawn at tile column `col`, line `line` of row 0.
    func drawn(_ text: String, col: Int, line: Int) -> Bool {
        let x0 = gap + col * (side + gap), y0 = gap + side + 2 + line * (BitmapFont.glyphHeight + 2)
        for (i, ch) in text.enumerated() {
            for gy in 0..<BitmapFont.glyphHeight { for gx in 0..<BitmapFont.glyphWidth {
                let v = img[x0 + i * BitmapFont.advance + gx, y0 + gy, 0]
                if BitmapFont.isInk(ch, x: gx, y: gy) != (v == 0) { return false }
            } }
        }
        return true
    }
    #expect(drawn("INPUT", col: 0, line: 0))
    #expect(drawn("EXPOSURE", col: 1, line: 0))
    #expect(drawn(String(format: "%+.2f", recipe.steps[0].values[0]), col: 1, line: 1))
    #expect(drawn("TARGET", col: tinyConfig.maxSteps + 1, line: 0))
    #expect(!drawn("TARGET", col: 0, line: 0))
}
