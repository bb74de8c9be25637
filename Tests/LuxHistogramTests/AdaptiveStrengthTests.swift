import Foundation
import Testing
import LuxImage
import LuxTensor
@testable import LuxHistogram

@Suite("Adaptive strength")
struct AdaptiveStrengthTests {
    let rule = AdaptiveStrength(maxStrength: 0.65, halfDistance: 1, power: 2, maxMove: 0.06)

    @Test func strengthIsZeroAtZeroDistanceMonotoneAndBounded() {
        #expect(rule.strength(distance: 0, move: 0.05) == 0)
        var last: Float = 0
        for k in 1...200 {
            let d = Double(k) * 0.05
            let s = rule.strength(distance: d, move: 0.01)
            #expect(s >= last, "monotone in d: s(\(d)) = \(s) < \(last)")
            #expect(s > 0 && s <= 0.65)
            last = s
        }
        #expect(abs(rule.strength(distance: 1, move: 0.01) - 0.325) < 1e-6, "half of sMax at d = b")
        #expect(rule.strength(distance: 1e6, move: 0.01) > 0.649)
        #expect(rule.strength(distance: .infinity, move: 0.01) == 0.65)
    }

    @Test func moveCapLimitsTheImageSpaceStep() {
        // d = 10: uncapped s ≈ 0.6436; a 0.2 RMS full move caps it at 0.06 / 0.2 = 0.3, so the step is 0.06 RMS.
        #expect(abs(rule.strength(distance: 10, move: 0.2) - 0.3) < 1e-6)
        #expect(abs(rule.strength(distance: 10, move: 0.05) - Float(0.65 * 100 / 101)) < 1e-6, "below the cap: unchanged")
        var uncapped = rule; uncapped.maxMove = nil
        #expect(uncapped.strength(distance: 10, move: 5) == rule.strength(distance: 10, move: 0.01))
    }

    @Test func metadataRoundTripsThroughAModelFile() throws {
        #expect(AdaptiveStrength(metadata: rule.metadata) == rule)
        var noCap = rule; noCap.maxMove = nil
        #expect(AdaptiveStrength(metadata: noCap.metadata) == noCap)
        #expect(AdaptiveStrength(metadata: ["bins": "16"]) == nil)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lux-adaptive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let net = HistogramNet(bins: 4, hidden: 8, seed: 2)
        let plain = dir.appendingPathComponent("plain.safetensors"), calibrated = dir.appendingPathComponent("cal.safetensors")
        try net.save(to: plain, dtype: .f16, metadata: net.metadata.merging(["iteration": "7"]) { a, _ in a })
        #expect(try HistogramNet(contentsOf: plain).strength == nil)
        try HistogramNet.writeCalibrated(plain, to: calibrated, strength: rule)
        let loaded = try HistogramNet(contentsOf: calibrated)
        #expect(loaded.strength == rule)
        let a = try SafeTensors.read(from: plain), b = try SafeTensors.read(from: calibrated)
        #expect(b.metadata["iteration"] == "7" && b.dtypes.values.allSatisfy { $0 == .f16 })
        for (x, y) in zip(a.tensors, b.tensors) { #expect(x.name == y.name && x.tensor.data == y.tensor.data) }
    }

    @Test func enhancerUsesTheCalibratedStrengthAndAnOverride() throws {
        var engine = HistogramEnhancer(net: try HistogramNet.loadDefault())
        engine.targetSamples = 1 << 14
        let rule = try #require(engine.net.strength, "the default model carries a calibration")
        let img = Support.scene(64, 48)
        let r = engine.enhanceEncoded(img)
        engine.strength = 1
        let full = engine.enhanceEncoded(img)
        let move = (try ImageMetrics.mse(full.image, img)).squareRoot()
        let expected = rule.strength(distance: AdaptiveStrength.distance(input: r.inputHistogram, predicted: r.predictedHistogram), move: move)
        #expect(abs(r.strength - expected) < 1e-6 && r.strength > 0 && Double(r.strength) <= rule.maxStrength)
        #expect(full.strength == 1)
        var maxErr: Float = 0
        for i in 0..<(3 * img.planeCount) {
            maxErr = max(maxErr, abs(r.image.pixels[i] - (img.pixels[i] + r.strength * (full.image.pixels[i] - img.pixels[i]))))
        }
        #expect(maxErr < 1e-5, "the output is the adaptive fraction of the full transfer (max error \(maxErr))")
    }

    @Test func aNetworkThatPredictsItsInputLeavesThePhotoAlone() {
        let net = HistogramNet(bins: 16, hidden: 8)  // untrained: ĥ ≈ h
        net.strength = rule
        var engine = HistogramEnhancer(net: net)
        engine.targetSamples = 1 << 14
        let img = Support.scene(64, 48)
        let r = engine.enhanceEncoded(img)
        // Not exactly 0: the softmax keeps ~1e-6 of mass in each empty cell, against ε = 1e-8 in the logs.
        #expect(AdaptiveStrength.distance(input: r.inputHistogram, predicted: r.predictedHistogram) < 0.03)
        #expect(r.strength < 1e-3)
        let rms = ((try? ImageMetrics.mse(r.image, img)) ?? 1).squareRoot()
        #expect(rms < 1e-3, "output ≈ input (RMS \(rms))")
    }

    @Test func engineWithoutCalibrationUsesTheFixedFallback() {
        let engine = HistogramEnhancer(net: HistogramNet(bins: 4, hidden: 8))
        let img = Support.scene(16, 12)
        #expect(engine.strength(for: img, input: [], predicted: [], full: img) == HistogramEnhancer.fallbackStrength)
    }
}
