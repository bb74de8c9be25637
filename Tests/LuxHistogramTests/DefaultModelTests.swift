import Foundation
import Testing
import LuxImage
import LuxTensor
@testable import LuxHistogram

@Suite("Default histogram model")
struct DefaultModelTests {
    @Test func embeddedModelLoads() throws {
        let net = try HistogramNet.loadDefault()
        #expect(net.bins == 16)
        let h = HistogramNet.histogram(Support.scene(40, 30), bins: 16)
        #expect(abs(net.predict(h).reduce(0, +) - 1) < 1e-3)
    }

    /// The held-back photos (fivek-linear VAL, never trained on), rendered well exposed, 3 seeded edits
    /// each: the network's KL to the original histogram is below the edited input's, and below the
    /// untrained (identity) network's, which smooths the input the same way.
    @Test(.enabled(if: Support.dataDir != nil, "needs ../shared/data"))
    func beatsTheEditedInputOnHeldBackPhotos() throws {
        let dir = Support.dataDir! + "/fivek-linear"
        let names = try String(contentsOfFile: dir + "/VAL.txt", encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
        let net = try HistogramNet.loadDefault(), identity = HistogramNet(bins: 16, hidden: 8)
        var klInput = 0.0, klIdentity = 0.0, klNet = 0.0, count = 0
        for (k, name) in names.enumerated() {
            let original = try HistogramTrainingData.loadLinear(dir + "/" + name, side: 192)
            let target = HistogramNet.histogram(original, bins: 16)
            for e in 0..<3 {
                var rng = RNG(seed: 500 + UInt64(10 * k + e))
                let h = HistogramNet.histogram(RandomEdit(rng: &rng, keepProbability: 0).apply(original), bins: 16)
                klInput += HistogramNet.kl(target, h)
                klIdentity += HistogramNet.kl(target, identity.predict(h))
                klNet += HistogramNet.kl(target, net.predict(h))
                count += 1
            }
        }
        let n = Double(count)
        print(String(format: "held-back KL: edited input %.3f, identity network %.3f, default model %.3f (%d edits)",
                     klInput / n, klIdentity / n, klNet / n, count))
        #expect(klNet < klInput)
        #expect(klNet < 0.9 * klIdentity)
    }

    @Test func enhancerKeepsSizeAndRange() throws {
        var engine = HistogramEnhancer(net: try HistogramNet.loadDefault())
        engine.targetSamples = 1 << 14
        let img = Support.scene(80, 60)
        let r = engine.enhanceEncoded(img)
        #expect(r.image.width == 80 && r.image.height == 60 && r.image.colorSpace == .sRGB)
        #expect(r.image.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(r.predictedHistogram.count == 4096)
    }

    @Test func strengthBlendsTheFullTransferWithThePhoto() throws {
        var engine = HistogramEnhancer(net: try HistogramNet.loadDefault())
        engine.targetSamples = 1 << 14
        let img = Support.scene(64, 48)
        engine.strength = 1
        let full = engine.enhanceEncoded(img).image
        engine.strength = 0.3
        let part = engine.enhanceEncoded(img).image
        var maxErr: Float = 0, moved: Float = 0
        for i in 0..<(3 * img.planeCount) {
            maxErr = max(maxErr, abs(part.pixels[i] - (img.pixels[i] + 0.3 * (full.pixels[i] - img.pixels[i]))))
            moved = max(moved, abs(full.pixels[i] - img.pixels[i]))
        }
        #expect(moved > 0.01, "the model moves this scene")
        #expect(maxErr < 1e-6, "strength 0.3 output is 0.3 of the way to the full transfer (max error \(maxErr))")
    }
}
