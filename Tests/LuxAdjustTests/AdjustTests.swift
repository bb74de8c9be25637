import Foundation
import Testing
import LuxTestSupport
import LuxImage
import LuxTensor
@testable import LuxAdjust

/// A small configuration so that the tests run fast in debug builds.
let tinyConfig = AdjustConfig(widths: [4, 4, 6, 6, 8], globalSize: 4, maps: 4, rank: 6, contextSide: 32)

/// A smooth synthetic photo (working space) with a bright disc on a coloured ramp: distinct regions for the maps.
func syntheticPhoto(width w: Int, height h: Int) -> Image {
    var img = Image(width: w, height: h, channels: 3, colorSpace: .working)
    let n = w * h
    for y in 0..<h {
        for x in 0..<w {
            let u = Float(x) / Float(w), v = Float(y) / Float(h)
            let dx = u - 0.5, dy = v - 0.5
            let disc: Float = dx * dx + dy * dy < 0.05 ? 0.6 : 0
            img.pixels[y * w + x] = 0.1 + 0.5 * u + disc * 0.5
            img.pixels[n + y * w + x] = 0.2 + 0.3 * v + disc * 0.3
            img.pixels[2 * n + y * w + x] = 0.3 + 0.2 * (1 - u) + disc * 0.1
        }
    }
    return img
}

/// Central-difference check of `f`'s gradients with respect to `inputs`, on the probe `Σ wᵢ f(x)ᵢ`
/// with fixed random weights; returns the mismatching elements (empty: pass).
func gradientMismatches(_ inputs: [Tensor], h: Float = 1e-2, tolerance: Double = 2e-2, _ f: ([Tensor]) -> Tensor) -> [String] {
    for x in inputs { x.requiresGrad = true; x.zeroGrad() }
    let y = f(inputs)
    var rng = RNG(seed: 5)
    let probe = (0..<y.count).map { _ in rng.uniform(-1, 1) }
    y.backward(seed: probe)
    let grads = inputs.map { $0.grad ?? [Float](repeating: 0, count: $0.count) }
    func value() -> Double { zip(GradMode.withoutGrad { f(inputs) }.data, probe).reduce(0) { $0 + Double($1.0) * Double($1.1) } }
    var bad: [String] = []
    for (k, x) in inputs.enumerated() {
        for i in 0..<x.count {
            let v = x.data[i]
            x.data[i] = v + h; let up = value()
            x.data[i] = v - h; let down = value()
            x.data[i] = v
            let numeric = (up - down) / (2 * Double(h)), analytic = Double(grads[k][i])
            if abs(numeric - analytic) > tolerance * max(1, abs(numeric), abs(analytic)) { bad.append("input \(k)[\(i)]: \(numeric) vs \(analytic)") }
        }
    }
    return bad
}

/// A new empty folder under the system temporary folder.
func temporaryFolder() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lux-adjust-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// A fresh trainer (`make`) resumed from `trainer`'s checkpoint, written to `dir`/c.ckpt.
func resumedCopy(of trainer: AdjustTrainer, in dir: URL, _ make: () -> AdjustTrainer) throws -> AdjustTrainer {
    try trainer.saveCheckpoint(to: dir.appendingPathComponent("c.ckpt"))
    let fresh = make()
    try fresh.resume(from: dir.appendingPathComponent("c.ckpt"))
    return fresh
}

func seeded(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var rng = RNG(seed: seed)
    return Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in rng.normal() * scale }, requiresGrad: true)
}

@Suite("LuxAdjust gradients")
struct AdjustGradientTests {
    @Test func bilinearPoolingGradients() {
        var rng = RNG(seed: 2)
        let layer = BilinearPooling(colour: 5, context: 4, rank: 3, out: 3, rng: &rng)
        let c = seeded([6, 5], seed: 3), s = seeded([6, 4], seed: 4)
        let bad = gradientMismatches([c, s] + layer.parameters(), h: 1e-2) { xs in layer(colour: xs[0], context: xs[1]) }
        #expect(bad.isEmpty, "\(bad.prefix(4))")
        // The layer is the rank-r bilinear form y_k = cᵀ U diag(P_k) Vᵀ s + b_k.
        let y = GradMode.withoutGrad { layer(colour: c, context: s) }
        let u = layer.u.weight, v = layer.v.weight, p = layer.p.weight, b = layer.p.bias!
        for n in 0..<6 {
            for k in 0..<3 {
                var sum = b.data[k]
                for r in 0..<3 {
                    var uc: Float = 0, vs: Float = 0
                    for i in 0..<5 { uc += u.data[r * 5 + i] * c.data[n * 5 + i] }
                    for j in 0..<4 { vs += v.data[r * 4 + j] * s.data[n * 4 + j] }
                    sum += p.data[k * 3 + r] * uc * vs
                }
                #expect(abs(sum - y.data[n * 3 + k]) < 1e-4)
            }
        }
    }

    @Test func mapReweightingGradients() {
        let logits = seeded([8, 3], seed: 6)
        let bad = gradientMismatches([logits]) { xs in MapReweighting.weights(xs[0].softmax(axis: 1)) }
        #expect(bad.isEmpty, "weights: \(bad.prefix(4))")
        let pred = seeded([8, 3], seed: 7, scale: 1.5), target = seeded([8, 3], seed: 8)
        let w = seeded([8], seed: 9)
        let bad2 = gradientMismatches([pred, w], h: 1e-3) { xs in MapReweighting.weightedHuber(xs[0], target, weights: xs[1]) }
        #expect(bad2.isEmpty, "loss: \(bad2.prefix(4))")
        // End to end: loss through weights computed from the maps.
        let bad3 = gradientMismatches([pred, logits], h: 1e-3) { xs in
            MapReweighting.weightedHuber(xs[0], target, weights: MapReweighting.weights(xs[1].softmax(axis: 1)))
        }
        #expect(bad3.isEmpty, "composite: \(bad3.prefix(4))")
    }

    @Test func reweightingFavoursSmallPresets() {
        // 7 pixels on preset 0, 1 pixel on preset 1: the lone pixel weighs more; the mean stays 1.
        var d = [Float](repeating: 0, count: 16)
        for i in 0..<7 { d[2 * i] = 1 }
        d[15] = 1
        let w = MapReweighting.weights(Tensor(shape: [8, 2], data: d))
        #expect(w.data[7] > 2 * w.data[0])
        #expect(abs(w.data.reduce(0, +) / 8 - 1) < 1e-5)
    }

    @Test func pointSamplingGradientsAndValues() {
        let map = seeded([1, 2, 3, 4], seed: 10)
        let pts: [SIMD2<Float>] = [SIMD2(0.3, 0.6), SIMD2(2.5, 1.25), SIMD2(3, 2), SIMD2(-1, 5)]
        let bad = gradientMismatches([map]) { xs in PointSampling.bilinear(xs[0], at: pts) }
        #expect(bad.isEmpty, "\(bad.prefix(4))")
        let y = PointSampling.bilinear(map, at: [SIMD2(1, 2)])
        #expect(y.data == [map.data[2 * 4 + 1], map.data[12 + 2 * 4 + 1]])
    }

    @Test func foregroundLossGradientsAndValue() {
        let logits = seeded([6, 4], seed: 11)
        let labels: [Float] = [0, 1, 0.3, 0.9, 0.5, 0], confidence: [Float] = [1, 0.5, 0, 1, 0.2, 1]
        let bad = gradientMismatches([logits], h: 1e-3) { xs in
            ForegroundLabel.loss(maps: xs[0].softmax(axis: 1), labels: labels, confidence: confidence, subjectPresets: 2)
        }
        #expect(bad.isEmpty, "\(bad.prefix(4))")
        // The value is the confidence-weighted BCE of the first two presets' total weight.
        let m = GradMode.withoutGrad { logits.softmax(axis: 1) }
        var expected: Float = 0
        for i in 0..<6 {
            let p = m.data[4 * i] + m.data[4 * i + 1]
            expected -= confidence[i] * (labels[i] * Foundation.log(p) + (1 - labels[i]) * Foundation.log(1 - p))
        }
        let got = GradMode.withoutGrad { ForegroundLabel.loss(maps: m, labels: labels, confidence: confidence, subjectPresets: 2) }.item
        #expect(abs(got - expected / 6) < 1e-5)
        #expect(ForegroundLabel.subjectPresets(maps: 6) == 3 && ForegroundLabel.subjectPresets(maps: 5) == 3)
    }

    @Test func presetResidualGradientsAndValue() {
        var rng = RNG(seed: 12)
        let layer = Linear(AdjustConfig.basisSize, 3 * 3, bias: false, rng: &rng)
        let basis = seeded([5, AdjustConfig.basisSize], seed: 13), logits = seeded([5, 3], seed: 14)
        let bad = gradientMismatches([basis, logits] + layer.parameters(), h: 1e-2) { xs in
            AdjustNetwork.presetResidual(layer, basis: xs[0], maps: xs[1].softmax(axis: 1))
        }
        #expect(bad.isEmpty, "\(bad.prefix(4))")
        // Row i, channel c: Σ_k M_ik Σ_j A[3k + c, j] Φ_ij.
        let m = GradMode.withoutGrad { logits.softmax(axis: 1) }
        let y = GradMode.withoutGrad { AdjustNetwork.presetResidual(layer, basis: basis, maps: m) }
        for i in 0..<5 {
            for c in 0..<3 {
                var e: Float = 0
                for k in 0..<3 {
                    var d: Float = 0
                    for j in 0..<AdjustConfig.basisSize { d += layer.weight.data[(3 * k + c) * AdjustConfig.basisSize + j] * basis.data[i * AdjustConfig.basisSize + j] }
                    e += m.data[i * 3 + k] * d
                }
                #expect(abs(e - y.data[i * 3 + c]) < 1e-4)
            }
        }
    }

    @Test func foregroundLabelsMarkKeptColour() {
        // Left half: the target keeps the input's chroma (subject); right half: desaturated to 40 % (background);
        // a grey band has no confidence.
        let w = 40, h = 10, n = w * h
        var input = [Float](repeating: 50, count: 3 * n), target = input
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x, grey = y >= 8
                input[n + i] = grey ? 0 : 30; input[2 * n + i] = grey ? 0 : -20
                let k: Float = x < w / 2 ? 1.2 : 0.4
                target[n + i] = input[n + i] * k; target[2 * n + i] = input[2 * n + i] * k
            }
        }
        let planes = ForegroundLabel.planes(input: input, target: target, width: w, height: h)
        #expect(planes.count == 3 * n)
        #expect(planes[2 * w + 2] > 0.9 && planes[2 * w + w - 3] < 0.05)
        #expect(planes[n + 2 * w + 2] == 1 && planes[n + 9 * w + 5] == 0)
    }
}

@Suite("LuxAdjust inference")
struct AdjustInferenceTests {
    let photo = syntheticPhoto(width: 48, height: 36)

    @Test func userMaskChangesExactlyTheMaskedPixels() throws {
        let adjuster = PhotoAdjuster(network: AdjustNetwork(config: tinyConfig, seed: 4))
        let base = try adjuster.adjust(photo)
        var values = [Float](repeating: 0, count: 48 * 36)
        for y in 10..<20 { for x in 5..<30 { values[y * 48 + x] = 1 } }
        let edited = try adjuster.adjust(photo, masks: [PresetMask(preset: 2, values: values)])
        let n = 48 * 36
        var changedInside = 0
        for i in 0..<n {
            let diff = (0..<3).map { abs(base.image.pixels[$0 * n + i] - edited.image.pixels[$0 * n + i]) }.max()!
            if values[i] == 0 {
                #expect(diff == 0, "pixel \(i) outside the mask changed")
                for k in 0..<tinyConfig.maps { #expect(base.maps[k * n + i] == edited.maps[k * n + i]) }
            } else {
                if diff > 1e-4 { changedInside += 1 }
                #expect(edited.maps[2 * n + i] == 1 && edited.maps[0 * n + i] == 0)
            }
        }
        #expect(changedInside > 200, "only \(changedInside) of 250 masked pixels changed")
    }

    @Test func inferenceIsDeterministic() throws {
        let adjuster = PhotoAdjuster(network: AdjustNetwork(config: tinyConfig, seed: 4))
        let a = try adjuster.adjust(photo), b = try adjuster.adjust(photo)
        #expect(a.image.pixels == b.image.pixels && a.maps == b.maps)
        let other = PhotoAdjuster(network: AdjustNetwork(config: tinyConfig, seed: 4))
        #expect(try other.adjust(photo).image.pixels == a.image.pixels)
    }

    @Test func mapsAreDistributionsAndOutputKeepsSize() throws {
        let r = try PhotoAdjuster(network: AdjustNetwork(config: tinyConfig, seed: 4)).adjust(photo)
        #expect(r.image.width == 48 && r.image.height == 36 && r.mapCount == 4)
        let n = 48 * 36
        for i in stride(from: 0, to: n, by: 37) {
            #expect(abs((0..<4).reduce(Float(0)) { $0 + r.maps[$1 * n + i] } - 1) < 1e-5)
        }
    }

    @Test func badMasksAreRefused() {
        let adjuster = PhotoAdjuster(network: AdjustNetwork(config: tinyConfig, seed: 4))
        #expect(throws: AdjustError.self) { try adjuster.adjust(photo, masks: [PresetMask(preset: 4, values: [Float](repeating: 1, count: 48 * 36))]) }
        #expect(throws: AdjustError.self) { try adjuster.adjust(photo, masks: [PresetMask(preset: 0, values: [1, 0])]) }
    }

    @Test func abstractionIsWhereTheResidualStarts() throws {
        // With the bilinear pooling zeroed the residual is 0: the output is the pixel, or with an abstraction
        // the edge-aware smoothing of the photo.
        var config = tinyConfig
        config.abstraction = Abstraction(spatialFraction: 0.25, rangeSigma: 40)
        func zeroed(_ c: AdjustConfig) -> PhotoAdjuster {
            let net = AdjustNetwork(config: c, seed: 4)
            for t in net.bilinear.p.parameters() { t.data = [Float](repeating: 0, count: t.count) }
            return PhotoAdjuster(network: net)
        }
        let lab = LabFeatures.planes(photo)
        let plain = LabFeatures.planes(try zeroed(tinyConfig).adjust(photo).image)
        #expect(LabFeatures.meanDistance(plain, lab) < 0.01)
        let expected = config.abstraction!.apply(lab, width: 48, height: 36)
        #expect(LabFeatures.meanDistance(expected, lab) > 0.3)
        let abstracted = LabFeatures.planes(try zeroed(config).adjust(photo).image)
        #expect(LabFeatures.meanDistance(abstracted, expected) < 0.01)
        // The L* step at the disc's edge (3 px either side) is mostly kept, unlike with a plain blur of the same σs.
        let inside = 18 * 48 + 16, outside = 18 * 48 + 10
        let blurred = Abstraction(spatialFraction: 0.25, rangeSigma: 1e6).apply(lab, width: 48, height: 36)
        let step = abstracted[inside] - abstracted[outside], blurStep = blurred[inside] - blurred[outside]
        #expect(step > 0.6 * (lab[inside] - lab[outside]) && step > 2 * blurStep, "step \(step), blurred \(blurStep), input \(lab[inside] - lab[outside])")
    }

    @Test func labRoundTrip() {
        let lab = LabFeatures.planes(photo)
        let back = LabFeatures.image(fromPlanes: lab, width: 48, height: 36)
        #expect(zip(back.pixels, photo.pixels).allSatisfy { abs($0 - $1) < 1e-4 })
        #expect(LabFeatures.meanDistance(lab, lab) == 0)
    }
}

@Suite("LuxAdjust training and models")
struct AdjustTrainingTests {
    static let root = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/yan-semantic").path
    static var hasData: Bool { FileManager.default.fileExists(atPath: root) }

    @Test func configRoundTripsThroughMetadata() throws {
        #expect(try AdjustConfig(metadata: tinyConfig.metadata) == tinyConfig)
        #expect(throws: AdjustError.self) { try AdjustConfig(metadata: [:]) }
        var abstracted = tinyConfig
        abstracted.abstraction = Abstraction(spatialFraction: 0.046875, rangeSigma: 40)
        #expect(abstracted.metadata["lux.adjust.abstraction"] == "0.046875,40.0")
        #expect(try AdjustConfig(metadata: abstracted.metadata) == abstracted)
        #expect(tinyConfig.metadata["lux.adjust.abstraction"] == nil)
        var withPresets = tinyConfig
        withPresets.presetMaps = true
        #expect(withPresets.metadata["lux.adjust.preset-maps"] == "1" && tinyConfig.metadata["lux.adjust.preset-maps"] == nil)
        #expect(try AdjustConfig(metadata: withPresets.metadata) == withPresets)
        for bad in ["", "0.05", "0,40", "0.05,-1", "2,40", "a,b"] {
            #expect(throws: AdjustError.self) { try AdjustConfig(metadata: tinyConfig.metadata.merging(["lux.adjust.abstraction": bad]) { $1 }) }
        }
        #expect(throws: AdjustError.self) { try AdjustEffect.parse("sepia") }
        #expect(try AdjustEffect.parse("Pop-Out") == .popOut)
    }

    @Test func warpIdentityAndBounds() {
        let id = AdjustWarp(width: 40, height: 30)
        #expect(id.source(SIMD2(7, 11)) == SIMD2(7, 11))
        let w = AdjustWarp(flip: true, angle: 0.08, width: 40, height: 30)
        for p in [SIMD2<Float>(0, 0), SIMD2(39, 29), SIMD2(0, 29), SIMD2(39, 0)] {
            let s = w.source(p)
            #expect(s.x >= -0.5 && s.x <= 39.5 && s.y >= -0.5 && s.y <= 29.5)
        }
    }

    @Test(.enabled(if: hasData)) func trainingReducesTheLossAndResumesExactly() throws {
        let ids = try AdjustDataset.ids(root: Self.root)
        let photos = try AdjustDataset.load(root: Self.root, effect: .xpro, ids: Array(ids.prefix(2)), config: tinyConfig)
        var options = AdjustTrainingOptions()
        options.batch = 2; options.pixels = 256; options.iterations = 40; options.learningRate = 5e-3
        let trainer = AdjustTrainer(config: tinyConfig, options: options, photos: photos)
        let first = (0..<5).map { _ in trainer.step().labL2 }.reduce(0, +)
        for _ in 0..<25 { trainer.step() }
        let last = (0..<5).map { _ in trainer.step().labL2 }.reduce(0, +)
        #expect(last < first)
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let resumed = try resumedCopy(of: trainer, in: dir) { AdjustTrainer(config: tinyConfig, options: options, photos: photos) }
        #expect(resumed.iteration == 35)
        #expect(trainer.step().loss == resumed.step().loss)
        try trainer.saveModel(to: dir.appendingPathComponent("m.safetensors"))
        let loaded = try PhotoAdjuster(contentsOf: dir.appendingPathComponent("m.safetensors"))
        #expect(loaded.config == tinyConfig)
    }

    @Test(.enabled(if: hasData)) func trainingStartsFromTheAbstraction() throws {
        // The trainer's prediction with a zero residual is the abstraction at the sampled pixels.
        var config = tinyConfig
        config.abstraction = Abstraction(spatialFraction: 0.046875, rangeSigma: 40)
        let id = try AdjustDataset.ids(root: Self.root)[0]
        let photo = try AdjustDataset.load(root: Self.root, effect: .watercolor, ids: [id], config: config)[0]
        #expect(photo.baseLab == config.abstraction!.apply(photo.inputLab, width: photo.width, height: photo.height))
        let trainer = AdjustTrainer(config: config, options: AdjustTrainingOptions(), photos: [photo])
        for t in trainer.network.bilinear.p.parameters() { t.data = [Float](repeating: 0, count: t.count) }
        let positions = (0..<50).map { SIMD2(Float($0 * 7 % photo.width), Float($0 * 5 % photo.height)) }
        let n = photo.width * photo.height
        let expected = positions.map { p -> Float in
            let i = Int(p.y) * photo.width + Int(p.x)
            let d = (0..<3).map { photo.baseLab[$0 * n + i] - photo.targetLab[$0 * n + i] }
            return (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).squareRoot()
        }.reduce(0, +) / 50
        let got = trainer.loss(photo, warp: AdjustWarp(width: photo.width, height: photo.height), positions: positions).labL2
        #expect(abs(got - expected) < 1e-3 * max(1, expected))
    }

    @Test(.enabled(if: hasData)) func foregroundLossAddsToTheColourLossAndResumesExactly() throws {
        let ids = try AdjustDataset.ids(root: Self.root)
        let photos = try AdjustDataset.load(root: Self.root, effect: .popOut, ids: Array(ids.prefix(2)), config: tinyConfig)
        var options = AdjustTrainingOptions()
        options.batch = 1; options.pixels = 128; options.iterations = 10; options.foregroundWeight = 0.5
        let trainer = AdjustTrainer(config: tinyConfig, options: options, photos: photos)
        #expect(trainer.foreground.count == 2 && AdjustTrainer(config: tinyConfig, options: AdjustTrainingOptions(), photos: photos).foreground.isEmpty)
        let p = photos[0], warp = AdjustWarp(flip: true, angle: 0.05, width: p.width, height: p.height)
        let positions = (0..<64).map { SIMD2(Float($0 * 7 % p.width), Float($0 * 5 % p.height)) }
        let (with, without) = GradMode.withoutGrad {
            (trainer.loss(p, warp: warp, positions: positions, foreground: trainer.foreground[0]).loss.item,
             trainer.loss(p, warp: warp, positions: positions).loss.item)
        }
        let maps = GradMode.withoutGrad {
            let ctx = trainer.network.context(p.levels.map(warp.warped))
            let src = positions.map { warp.source($0) }
            let lab = src.map { AdjustWarp.sample(p.baseLab, width: p.width, height: p.height, at: $0) }
            let smooth = (0..<EdgeAwareSmoothing.levels.count).map { l in
                src.map { AdjustWarp.sample(p.smoothLab, offset: l * 3 * p.width * p.height, width: p.width, height: p.height, at: $0) }
            }
            return trainer.network.predict(ctx, positions: positions, width: p.width, height: p.height, lab: lab, smooth: smooth).maps
        }
        let f = positions.map { AdjustWarp.sample(trainer.foreground[0], width: p.width, height: p.height, at: warp.source($0)) }
        let bce = ForegroundLabel.loss(maps: maps, labels: f.map(\.x), confidence: f.map(\.y), subjectPresets: 2).item
        #expect(abs(with - without - 0.5 * bce) < 1e-4 * max(1, with))
        for _ in 0..<3 { trainer.step() }
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let resumed = try resumedCopy(of: trainer, in: dir) { AdjustTrainer(config: tinyConfig, options: options, photos: photos) }
        #expect(trainer.step().loss == resumed.step().loss)
    }

    @Test(.enabled(if: hasData)) func presetMapsStartAtZeroTrainResumeAndLoad() throws {
        var config = tinyConfig
        config.presetMaps = true
        let ids = try AdjustDataset.ids(root: Self.root)
        let photos = try AdjustDataset.load(root: Self.root, effects: [.popOut, .xpro], ids: Array(ids.prefix(2)), config: config)
        var options = AdjustTrainingOptions()
        options.batch = 1; options.pixels = 128; options.iterations = 10
        let trainer = AdjustTrainer(config: config, options: options, photos: photos)
        #expect(trainer.networks.allSatisfy { $0.presets?.weight.data.allSatisfy { $0 == 0 } == true })
        #expect(trainer.networks[1].presets !== trainer.network.presets)
        for _ in 0..<3 { trainer.step() }
        #expect(trainer.networks.allSatisfy { $0.presets!.weight.data.contains { $0 != 0 } })
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let resumed = try resumedCopy(of: trainer, in: dir) { AdjustTrainer(config: config, options: options, photos: photos) }
        #expect(resumed.networks[1].presets!.weight.data == trainer.networks[1].presets!.weight.data)
        #expect(trainer.step().loss == resumed.step().loss)
        try trainer.saveModel(to: dir.appendingPathComponent("m.safetensors"))
        let loaded = try PhotoAdjuster(contentsOf: dir.appendingPathComponent("m.safetensors"))
        #expect(loaded.config == config && loaded.network.presets != nil)
    }

    @Test(.enabled(if: hasData)) func multiTaskSharesContextAndResumesExactly() throws {
        let ids = try AdjustDataset.ids(root: Self.root)
        let photos = try AdjustDataset.load(root: Self.root, effects: [.popOut, .xpro], ids: Array(ids.prefix(2)), config: tinyConfig)
        var options = AdjustTrainingOptions()
        options.batch = 1; options.pixels = 128; options.iterations = 10
        let trainer = AdjustTrainer(config: tinyConfig, options: options, photos: photos)
        #expect(trainer.networks.count == 2)
        #expect(trainer.networks[1].convs[0] === trainer.networks[0].convs[0] && trainer.networks[1].mapOut === trainer.network.mapOut)
        #expect(trainer.networks[1].bilinear !== trainer.network.bilinear)
        for _ in 0..<3 { trainer.step() }
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let resumed = try resumedCopy(of: trainer, in: dir) { AdjustTrainer(config: tinyConfig, options: options, photos: photos) }
        #expect(trainer.step().loss == resumed.step().loss)
        // Each target's model is standalone.
        try trainer.saveModel(to: dir.appendingPathComponent("xpro.safetensors"), index: 1)
        let xpro = try PhotoAdjuster(contentsOf: dir.appendingPathComponent("xpro.safetensors"))
        #expect(xpro.network.bilinear.p.weight.data == trainer.networks[1].bilinear.p.weight.data.map { Float(Float16($0)) })
    }

    @Test func contextPretrainingMovesOnlyTheContextBranch() {
        let net = AdjustNetwork(config: tinyConfig, seed: 4)
        let conv = net.convs[0].weight.data, pool = net.bilinear.p.weight.data, maps = net.mapOut.weight.data
        let photo = LabLevel(syntheticPhoto(width: 40, height: 30), side: tinyConfig.contextSide)
        ContextPretraining.run(net, photos: [photo], iterations: 3, batch: 1, pixels: 64)
        #expect(net.convs[0].weight.data != conv)
        #expect(net.bilinear.p.weight.data == pool && net.mapOut.weight.data == maps)
    }

    @Test(.enabled(if: hasData)) func committedValidationListIsTheSeededDraw() throws {
        #expect(try AdjustDataset.bundledValidationIDs() == AdjustDataset.heldOut(try AdjustDataset.ids(root: Self.root)))
    }

    @Test func tuneSplitIsSeededDisjointAndLeavesTraining() {
        let ids = (0..<60).map { String(format: "p%02d", $0) }
        let (train, tune) = AdjustDataset.tuneSplit(ids, count: 12)
        #expect(tune.count == 12 && train.count == 48 && Set(train).isDisjoint(with: tune) && Set(train + tune) == Set(ids))
        #expect(AdjustDataset.tuneSplit(ids.reversed(), count: 12).tune == tune)
        #expect(tune != AdjustDataset.heldOut(ids, count: 12))
        #expect(AdjustDataset.tuneSplit(["a", "b"], count: 5).train.count == 1)
    }

    @Test func defaultModelsLoad() throws {
        for e in AdjustEffect.allCases {
            let a = try PhotoAdjuster.loadDefault(e)
            #expect(a.network.parameterCount > 0)
        }
    }
}
