import Foundation
import Testing
import LuxImage
import LuxAgent
import LuxDatasets

@Test func defaultModelLoadsAndBrightensAnUnderexposedPhoto() throws {
    let agent = try EnhanceAgent.loadDefault()
    #expect(agent.config.filters == AgentConfig.paperFilters)
    #expect(agent.config.maxSteps == 5)
    // A smooth photo-like image at mean luminance 0.18, then 1.5 stops under.
    let base = ExposureRendering.normalized(smoothImage(width: 96, height: 64))
    let dark = ExposureRendering.scaled(base, by: Float(pow(2.0, -1.5)))
    let result = agent.enhance(dark)
    #expect(result.recipe.steps.contains { $0.filter == "exposure" && $0.values[0] > 0.5 },
            "expected a positive exposure step, got \(result.recipe)")
    let before = ExposureRendering.meanLuminance(dark), after = ExposureRendering.meanLuminance(result.image)
    #expect(after > 2 * before, "mean luminance \(before) -> \(after)")
    // Deterministic without a seed.
    #expect(agent.recipe(for: dark).recipe == result.recipe)
}
