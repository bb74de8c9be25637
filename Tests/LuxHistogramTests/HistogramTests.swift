import Foundation
import Testing
import LuxImage
import LuxTensor
@testable import LuxHistogram

@Suite("Histograms, random edits and the network")
struct HistogramTests {
    @Test func binningRoundTripsCountsExactly() {
        // A 16³ histogram with arbitrary counts -> samples -> binned again: the same counts.
        var rng = RNG(seed: 4)
        let bins = 16
        var counts = [Int](repeating: 0, count: bins * bins * bins)
        for _ in 0..<300 { counts[Int(rng.next() % UInt64(counts.count))] += 1 + Int(rng.next() % 40) }
        let total = counts.reduce(0, +)
        let samples = ColorSamples(histogram: counts.map(Float.init), bins: bins, count: total, seed: 9)
        let img = Image(width: total, height: 1, channels: 3, colorSpace: .sRGB, pixels: samples.values)
        #expect(img.rgbHistogram(bins: bins).counts == counts)
        // And the image histogram of a photo-like image normalises to 1 with counts summing to the pixels.
        let scene = Support.scene(50, 40)
        #expect(scene.rgbHistogram(bins: bins).counts.reduce(0, +) == 2000)
        #expect(abs(HistogramNet.histogram(scene, bins: bins).reduce(0, +) - 1) < 1e-5)
    }

    @Test func randomEditsAreSeededBoundedAndChangeTheHistogram() throws {
        let img = Support.scene(60, 40)
        var a = RNG(seed: 8), b = RNG(seed: 8)
        let e1 = RandomEdit(rng: &a, keepProbability: 0), e2 = RandomEdit(rng: &b, keepProbability: 0)
        #expect(e1 == e2)
        let out = e1.apply(img)
        #expect(out == e2.apply(img))
        #expect(out.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(try ImageMetrics.psnr(out, img) < 35)
        var c = RNG(seed: 1)
        #expect(RandomEdit(rng: &c, keepProbability: 1).apply(img) == img)
    }

    @Test func untrainedNetworkReturnsItsInput() {
        let net = HistogramNet(bins: 8, hidden: 16)
        let h = HistogramNet.histogram(Support.scene(40, 30), bins: 8)
        let p = net.predict(h)
        #expect(abs(p.reduce(0, +) - 1) < 1e-4)
        #expect(HistogramNet.kl(h, p) < 1e-3)
    }

    @Test func trainingLowersTheKLAndModelsRoundTripAsFloat16() throws {
        let photos = (0..<6).map { Support.scene(48, 36, seed: UInt64($0)) }
        let data = HistogramTrainingData(photos: photos, names: photos.indices.map { "p\($0)" })
        let net = HistogramNet(bins: 8, hidden: 32, seed: 2)
        let trainer = HistogramTrainer(net: net, data: data, batch: 8, learningRate: 3e-3, iterations: 60, seed: 3)
        let (x, y) = trainer.batchTensors(iteration: 1000)  // a batch the training never draws
        let before = GradMode.withoutGrad { HistogramNet.loss(net(x), y).item }
        for _ in 0..<60 { trainer.step() }
        let after = GradMode.withoutGrad { HistogramNet.loss(net(x), y).item }
        #expect(after < 0.8 * before, "KL \(after) after training vs \(before)")

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lux-hist-\(UInt64.random(in: 0...UInt64.max)).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try trainer.saveModel(to: url)
        let loaded = try HistogramNet(contentsOf: url)
        #expect(loaded.bins == 8 && loaded.hidden == 32)
        let h = Array(x.data[0..<512])
        let kl = HistogramNet.kl(net.predict(h), loaded.predict(h))
        #expect(kl < 1e-3, "float16 round trip changes the prediction by KL \(kl)")
    }

    @Test func resumeContinuesBitIdentically() throws {
        let photos = (0..<4).map { Support.scene(32, 24, seed: UInt64($0)) }
        let data = HistogramTrainingData(photos: photos, names: photos.indices.map { "p\($0)" })
        func trainer() -> HistogramTrainer {
            HistogramTrainer(net: HistogramNet(bins: 4, hidden: 8, seed: 5), data: data, batch: 4, iterations: 6, seed: 6)
        }
        let straight = trainer()
        for _ in 0..<6 { straight.step() }
        let first = trainer()
        for _ in 0..<3 { first.step() }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lux-hist-ckpt-\(UInt64.random(in: 0...UInt64.max)).safetensors")
        defer { try? FileManager.default.removeItem(at: url); try? FileManager.default.removeItem(at: url.appendingPathExtension("adam")) }
        try first.saveCheckpoint(to: url)
        let resumed = trainer()
        try resumed.resume(from: url)
        #expect(resumed.iteration == 3)
        for _ in 0..<3 { resumed.step() }
        #expect(zip(resumed.net.parameters(), straight.net.parameters()).allSatisfy { $0.data == $1.data })
    }

    @Test func linearShareChoosesTheGroupOfEachSample() {
        // Two "other" photos, then three linear renders: the share sets how often each group is drawn.
        let photos = (0..<5).map { Support.scene(16, 12, seed: UInt64($0)) }
        var data = HistogramTrainingData(photos: photos, names: photos.indices.map { "p\($0)" }, linearStart: 2)
        func linearFraction(_ share: Double?) -> Double {
            data.linearShare = share
            var rng = RNG(seed: 9), linear = 0
            for _ in 0..<4000 where data.photoIndex(rng: &rng) >= 2 { linear += 1 }
            return Double(linear) / 4000
        }
        #expect(abs(linearFraction(nil) - 0.6) < 0.03)   // uniform over 5 photos, 3 of them linear
        #expect(linearFraction(1) == 1 && linearFraction(0) == 0)
        #expect(abs(linearFraction(0.25) - 0.25) < 0.03)
    }
}
