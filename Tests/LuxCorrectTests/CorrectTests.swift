import Foundation
import Testing
import LuxTestSupport
import LuxImage
import LuxIO
import LuxTensor
import LuxDatasets
@testable import LuxCorrect

/// A tiny network (size multiple 32) so that the tests run fast in debug builds.
let tinyConfig = CorrectConfig(channels: [2, 2, 2, 4], depths: [1, 1, 1, 2])

/// `Samples/kodim23.png` (sRGB-encoded) resized to `width` x `height`.
func kodim(width: Int, height: Int) throws -> Image {
    var img = try ImageIO.read(path: packageRoot.appendingPathComponent("Samples/kodim23.png").path).image.rgb()
    img.colorSpace = .sRGB
    return img.resized(width: width, height: height, filter: .box)
}

/// sRGB-encoded -> linear (working space).
func linearized(_ img: Image) -> Image {
    var out = img.mapValues { v in v <= 0.04045 ? v / 12.92 : Float(pow((Double(v) + 0.055) / 1.055, 2.4)) }
    out.colorSpace = .working
    return out
}

/// Mean gradient magnitude (forward differences) of the luminance-like mean of R, G, B: edge energy.
func edgeEnergy(_ img: Image) -> Double {
    let w = img.width, h = img.height, n = w * h
    var g = [Float](repeating: 0, count: n)
    for i in 0..<n { g[i] = (img.pixels[i] + img.pixels[n + i] + img.pixels[2 * n + i]) / 3 }
    var s = 0.0
    for y in 0..<(h - 1) { for x in 0..<(w - 1) {
        let dx = g[y * w + x + 1] - g[y * w + x], dy = g[(y + 1) * w + x] - g[y * w + x]
        s += Double((dx * dx + dy * dy).squareRoot())
    } }
    return s / Double((w - 1) * (h - 1))
}

func maxAbsDiff(_ a: Image, _ b: Image) -> Float {
    zip(a.pixels, b.pixels).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// A network whose U-Nets all output zero (last layers zeroed): the wiring alone.
func identityNetwork(_ config: CorrectConfig) -> CorrectNetwork {
    let net = CorrectNetwork(config: config, seed: 3)
    for u in net.nets { u.out.weight.data = u.out.weight.data.map { _ in 0 }; u.out.bias!.data = [0, 0, 0] }
    return net
}

@Suite("LuxCorrect network")
struct CorrectNetworkTests {
    @Test func pyramidTensorsCollapseToTheImage() throws {
        let img = try kodim(width: 96, height: 64)
        let levels = PyramidTensors.levels([img], count: 4)
        #expect(levels.map { $0.shape } == [[1, 3, 64, 96], [1, 3, 32, 48], [1, 3, 16, 24], [1, 3, 8, 12]])
        let back = LaplacianPyramid(levels: levels.map { PyramidTensors.image($0, sample: 0) }).collapse()
        #expect(maxAbsDiff(back, img) < 1e-5)
        // The pyramid-loss targets are the expanded Gaussian levels: G0 - targets[0] is the finest band.
        let t = PyramidTensors.gaussianTargets([img], count: 4)
        let band = zip(img.pixels, t[0].data).map { $0 - $1 }
        #expect(zip(band, levels[0].data).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func untrainedWiringIsThePyramidCollapseAwayFromBorders() throws {
        let img = try kodim(width: 128, height: 96)
        let out = ExposureCorrector(network: identityNetwork(.init())).runNetwork(img)
        // Interior: exact collapse (the transposed convolutions start as the expand kernel); borders use zero padding.
        var worst: Float = 0
        for c in 0..<3 { for y in 16..<80 { for x in 16..<112 {
            let i = c * 128 * 96 + y * 128 + x
            worst = max(worst, abs(out.pixels[i] - img.pixels[i]))
        } } }
        #expect(worst < 1e-4, "interior differs by \(worst)")
    }

    @Test func scalesOfOneReproduceThePlainOutputAndOthersScaleTheBands() throws {
        let img = try kodim(width: 64, height: 64)
        let c = ExposureCorrector(network: CorrectNetwork(config: tinyConfig, seed: 5))
        let plain = c.runNetwork(img)
        #expect(maxAbsDiff(plain, c.runNetwork(img, scales: [1, 1, 1, 1])) == 0)
        #expect(maxAbsDiff(plain, c.runNetwork(img, scales: [1.5, 1.5, 1.5, 1.05])) > 1e-3)
        // Through the identity wiring, S = (2, 1, 1, 1) doubles the finest band of the collapse.
        let id = ExposureCorrector(network: identityNetwork(tinyConfig))
        var pyr = LaplacianPyramid(img, levels: 4)
        pyr.levels[0].pixels = pyr.levels[0].pixels.map { $0 * 2 }
        let expected = pyr.collapse().clamped(to: 0...1), got = id.runNetwork(img, scales: [2, 1, 1, 1])
        var worst: Float = 0
        for ch in 0..<3 { for y in 16..<48 { for x in 16..<48 { let i = ch * 4096 + y * 64 + x; worst = max(worst, abs(got.pixels[i] - expected.pixels[i])) } } }
        #expect(worst < 1e-4)
        #expect(throws: CorrectError.self) { try c.correct(img, options: CorrectOptions(scales: [1, 1])) }
    }

    @Test func configRoundTripsThroughMetadata() throws {
        let c = CorrectConfig.paper
        #expect(try CorrectConfig(metadata: c.metadata) == c)
        #expect(c.sizeMultiple == 128)
        #expect(throws: CorrectError.self) { try CorrectConfig(metadata: [:]) }
        // The paper's sizes give its 7.0 M parameters, save the upsamplers (5x5 here, 2x2 there).
        let net = CorrectNetwork(config: c)
        #expect(net.nets.reduce(0) { $0 + $1.parameterCount } == 4_365_915 + 2 * 1_083_675 + 482_067)
    }
}

@Suite("LuxCorrect training")
struct CorrectTrainingTests {
    static func photos() throws -> [Image] {
        let img = linearized(try kodim(width: 192, height: 128))
        return [img, try img.cropped(x: 40, y: 20, width: 96, height: 96)]
    }

    @Test func aFewStepsReduceTheLossAndACheckpointResumes() throws {
        var options = CorrectTrainingOptions(stages: [TrainingStage(height: 32, width: 32, batch: 4, iterations: 40)])
        options.learningRate = 3e-3
        options.seed = 7
        let data = TrainingPairs(photos: try Self.photos())
        let trainer = CorrectTrainer(config: tinyConfig, options: options, data: data)
        var rng = RNG(seed: 99)
        let probe = data.batch(8, height: 32, width: 32, rng: &rng)
        let before = trainer.losses(inputs: probe.inputs, targets: probe.targets, adversarial: false).total.item
        for _ in 0..<40 { trainer.step() }
        let after = trainer.losses(inputs: probe.inputs, targets: probe.targets, adversarial: false).total.item
        #expect(after < 0.8 * before, "loss \(before) -> \(after)")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lux-correct-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try trainer.saveCheckpoint(to: dir.appendingPathComponent("c.ckpt"))
        try trainer.saveModel(to: dir.appendingPathComponent("m.safetensors"), dtype: .f32)
        let resumed = CorrectTrainer(config: tinyConfig, options: options, data: data)
        try resumed.resume(from: dir.appendingPathComponent("c.ckpt"))
        #expect(resumed.iteration == 40)
        #expect(resumed.network.parameters().flatMap(\.data) == trainer.network.parameters().flatMap(\.data))
        let loaded = try ExposureCorrector(contentsOf: dir.appendingPathComponent("m.safetensors"))
        #expect(loaded.config == tinyConfig)
        #expect(maxAbsDiff(loaded.runNetwork(probe.inputs[0]), ExposureCorrector(network: trainer.network).runNetwork(probe.inputs[0])) < 1e-6)
    }

    @Test func adversarialStepTrainsTheDiscriminator() throws {
        var options = CorrectTrainingOptions(stages: [TrainingStage(height: 32, width: 32, batch: 2, iterations: 2)])
        options.adversarialWeight = 0.01
        let trainer = CorrectTrainer(config: tinyConfig, options: options, data: TrainingPairs(photos: try Self.photos()))
        let before = trainer.discriminator.parameters().flatMap(\.data)
        let parts = trainer.step()
        #expect(parts["adv"] != nil && parts["disc"] != nil)
        #expect(trainer.discriminator.parameters().flatMap(\.data) != before)
    }

    @Test func renderedPairsClipOverExposure() throws {
        var data = TrainingPairs(photos: try Self.photos())
        data.evs = [1.5]
        var rng = RNG(seed: 1)
        let b = data.batch(2, height: 64, width: 64, rng: &rng)
        // +1.5 EV: brighter than the target everywhere but clipped at 1, 8-bit codes.
        let mi: Float = b.inputs[0].pixels.reduce(0, +), mt: Float = b.targets[0].pixels.reduce(0, +)
        #expect(mi > mt)
        let clipped = b.inputs[0].pixels.contains(1)
        let codes = b.inputs[0].pixels.allSatisfy { abs(($0 * 255).rounded() - $0 * 255) < 1e-3 }
        #expect(clipped && codes)
    }
}

@Suite("LuxCorrect full resolution and post-processing")
struct CorrectFullResolutionTests {
    /// The acceptance check: a 384² photo (4x the 96² network size), corrected through the guided filter,
    /// against the same network run directly at 384²; bilinear upsampling of the 96² output as the foil.
    /// (With the 16 px margins the runs are exactly 128² and 512² after padding.)
    @Test func guidedUpsamplingAt4xKeepsEdges() throws {
        let corrector = try ExposureCorrector.loadDefault()
        let photo = try kodim(width: 576, height: 384).cropped(x: 96, y: 0, width: 384, height: 384)
        let img = ExposureRendering.render(ExposureRendering.normalized(linearized(photo)), ev: -1, curve: .camera)
        let direct = corrector.runNetwork(img)
        let low = img.thumbnail(maxSide: 96)
        let lowOut = corrector.runNetwork(low)
        let guided = GuidedUpsample.apply(lowInput: low, lowOutput: lowOut, full: img)
        let bilinear = lowOut.resized(width: 384, height: 384, filter: .bilinear)
        #expect(maxAbsDiff(guided, try corrector.correct(img, options: CorrectOptions(maxSide: 96))) == 0)
        let pg = try ImageMetrics.psnr(guided, direct), pb = try ImageMetrics.psnr(bilinear, direct)
        let sg = try ImageMetrics.ssim(guided, direct), sb = try ImageMetrics.ssim(bilinear, direct)
        let eg = edgeEnergy(guided) / edgeEnergy(direct), eb = edgeEnergy(bilinear) / edgeEnergy(direct)
        // Detail: PSNR of the finest Laplacian band (what edges are made of), free of the global colour
        // differences between the two network runs (the network is not scale-invariant).
        func band(_ x: Image) -> Image { LaplacianPyramid(x, levels: 2).levels[0] }
        let dg = try ImageMetrics.psnr(band(guided), band(direct)), db = try ImageMetrics.psnr(band(bilinear), band(direct))
        print("4x: guided PSNR \(pg) dB, detail PSNR \(dg) dB, SSIM \(sg), edge ratio \(eg); "
              + "bilinear PSNR \(pb) dB, detail PSNR \(db) dB, SSIM \(sb), edge ratio \(eb)")
        #expect(pg >= pb, "guided \(pg) dB vs bilinear \(pb) dB")
        #expect(dg > db + 3, "detail: guided \(dg) dB vs bilinear \(db) dB")
        #expect(sg > sb + 0.05, "guided SSIM \(sg) vs bilinear \(sb)")
        #expect(abs(eg - 1) < 0.15, "guided edge energy ratio \(eg)")
        #expect(eb < 0.75, "bilinear edge energy ratio \(eb)")
    }

    @Test func fusionOfIdenticalImagesIsTheImageAndHistogramAdjustStretches() throws {
        let img = try kodim(width: 96, height: 64)
        #expect(maxAbsDiff(PostProcess.fuse([img, img]), img) < 1e-4)
        let flat = img.mapValues { 0.2 + 0.4 * $0 }
        let s = PostProcess.histogramAdjust(flat)
        let sorted = s.pixels.sorted()
        #expect(sorted[sorted.count / 100] < 0.01 && sorted[sorted.count * 99 / 100] > 0.99)
        // Monotonic: the order of values is kept.
        var ordered = true
        for i in 0..<(flat.pixels.count - 1) {
            let a: Float = flat.pixels[i], b: Float = flat.pixels[i + 1], sa: Float = s.pixels[i], sb: Float = s.pixels[i + 1]
            if a < b && sa > sb { ordered = false }
            if a > b && sa < sb { ordered = false }
        }
        #expect(ordered)
    }

    @Test func defaultModelImprovesRenderedExposureErrors() throws {
        let data = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/fivek-linear")
        let list = data.appendingPathComponent("VAL.txt").path
        guard FileManager.default.fileExists(atPath: list) else { return }
        let name = try Splits.readList(path: list)[0]
        let photo = try LinearPhotos.load(path: data.appendingPathComponent(name).path).rgb()
        let side = 256   // a centre crop, one network tile: fast in debug builds
        let base = ExposureRendering.normalized(try photo.cropped(x: (photo.width - side) / 2, y: (photo.height - side) / 2, width: side, height: side))
        let target = ExposureRendering.render(base, ev: 0)
        let corrector = try ExposureCorrector.loadDefault()
        for ev: Float in [-1.5, 1.5] {
            let input = ExposureRendering.render(base, ev: ev, curve: .camera)
            let p0 = try ImageMetrics.psnr(input, target), p1 = try ImageMetrics.psnr(try corrector.correct(input), target)
            #expect(p1 > p0 + 1, "\(name) at \(ev) EV: input \(p0) dB, corrected \(p1) dB")
        }
    }
}
