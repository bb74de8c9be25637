import Foundation
import LuxHDR
import LuxImage
import LuxIO
import LuxTensor
import Testing

/// A small synthetic radiance source: smooth gradients with bright blobs (up to ~10x the mean).
func syntheticSource(_ side: Int = 48, seed: UInt64 = 3) -> HDRTrainingData.Source {
    var rng = RNG(seed: seed)
    let blobs = (0..<3).map { _ in (rng.uniform(0, Float(side)), rng.uniform(0, Float(side)), rng.uniform(3, 8)) }
    let img = hdrTestImage(side, side) { x, y, c in
        var v = 0.1 + 0.05 * Float(c) + 0.002 * Float(x + y)
        for (bx, by, r) in blobs {
            let d2 = (Float(x) - bx) * (Float(x) - bx) + (Float(y) - by) * (Float(y) - by)
            v += 2 * exp(-d2 / (r * r))
        }
        return v
    }
    return .init(image: img, valid: [Float](repeating: 1, count: side * side), name: "synthetic")
}

@Test func networkShapesAndComposeKeepsUnmaskedPixels() {
    let net = HallucinationNet(config: HDRConfig(baseChannels: 4), seed: 2)
    var rng = RNG(seed: 9)
    let lin = Tensor(shape: [2, 3, 16, 12], data: rng.uniformArray(2 * 3 * 16 * 12, 0, 1))
    var m = [Float](repeating: 0, count: 2 * 16 * 12)
    for i in 0..<40 { m[i] = 1 }
    let mask = Tensor(shape: [2, 1, 16, 12], data: m)
    let raw = net(HallucinationNet.input(linear: lin, mask: mask))
    #expect(raw.shape == [2, 3, 16, 12])
    let h = HallucinationNet.compose(linear: lin, mask: mask, raw: raw)
    let plane = 16 * 12
    for b in 0..<2 {
        for c in 0..<3 {
            for i in 0..<plane {
                let k = (b * 3 + c) * plane + i
                if m[b * plane + i] == 0 { #expect(h.data[k] == lin.data[k]) } else { #expect(h.data[k] > lin.data[k]) }
            }
        }
    }
    let d = PatchDiscriminator(base: 4)
    #expect(d(Tensor(shape: [2, 4, 32, 32], data: rng.uniformArray(2 * 4 * 32 * 32))).shape == [2, 16, 2, 2])
}

@Test func trainingBatchesClipRenderAndWeightOnlyTheMask() throws {
    let data = try HDRTrainingData(sources: [syntheticSource()])
    var rng = RNG(seed: 4)
    let b = data.batch(4, side: 32, maskThreshold: 0.95, rng: &rng)
    #expect(b.linear.shape == [4, 3, 32, 32] && b.mask.shape == [4, 1, 32, 32])
    #expect(b.linear.data.allSatisfy { $0 >= 0 && $0 <= 1 })
    #expect(b.target.data.max()! > 1)   // some crops are over-exposed: the target keeps what was clipped
    for bi in 0..<4 {
        for c in 0..<3 {
            for i in 0..<(32 * 32) {
                let k = (bi * 3 + c) * 1024 + i
                if b.mask.data[bi * 1024 + i] == 0 { #expect(b.weight.data[k] == 0) }
                if b.target.data[k] < 0.5 { #expect(abs(b.linear.data[k] - b.target.data[k]) < 0.05) }
            }
        }
    }
}

@Test func trainingLowersTheLogLossAndResumesExactly() throws {
    let data = try HDRTrainingData(sources: [syntheticSource()])
    var opts = HDRTrainerOptions()
    opts.batch = 4; opts.side = 32; opts.adversarialStart = 1_000_000; opts.learningRate = 2e-3
    let config = HDRConfig(baseChannels: 4)
    let trainer = HDRTrainer(config: config, options: opts, data: data)
    var rng = RNG(seed: 99)
    let fixed = data.batch(8, side: 32, maskThreshold: config.maskThreshold, rng: &rng)
    #expect(fixed.weight.data.reduce(0, +) > 100)
    let before = trainer.logLoss(on: fixed)
    for _ in 0..<40 { trainer.step() }
    let after = trainer.logLoss(on: fixed)
    #expect(after < 0.8 * before, "log loss on a fixed batch \(before) -> \(after)")

    // Checkpoint, resume into a fresh trainer: one more step gives identical generator weights.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lux-hdr-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let ckpt = dir.appendingPathComponent("t.ckpt")
    try trainer.saveCheckpoint(to: ckpt)
    let other = HDRTrainer(config: config, options: opts, data: data)
    try other.resume(from: ckpt)
    #expect(other.iteration == 40)
    trainer.step(); other.step()
    #expect(zip(trainer.net.parameters(), other.net.parameters()).allSatisfy { $0.data == $1.data })

    // The shipped form (F16) loads into a model that predicts like the trainer's network.
    let modelURL = dir.appendingPathComponent("m.safetensors")
    try trainer.saveModel(to: modelURL)
    let model = try HDRModel(contentsOf: modelURL)
    #expect(model.config == config)
    let x = hdrTestImage(20, 12) { x, _, _ in x > 10 ? 1 : 0.3 }
    let mask = InverseCamera.softMask(x, crf: .sRGB)
    let a = model.logRatio(x, mask: mask), b = HDRModel(net: trainer.net).logRatio(x, mask: mask)
    #expect(zip(a, b).allSatisfy { abs($0 - $1) < 2e-2 })
    #expect(throws: HDRError.self) { try HDRModel(contentsOf: ckpt) }   // a checkpoint is not a model (extra tensors)
}

@Test func radianceMapsRoundTripThroughEXRAndHDR() throws {
    let map = Reconstruction.run(linear: hdrTestImage(33, 17) { x, y, c in x > 20 ? 1 : Float(x * y + c) / 700 }, crf: .sRGB) { s, _ in
        [Float](repeating: 2, count: 3 * s.planeCount)
    }
    #expect(map.image.pixels.max()! > 2)   // really HDR: above 1
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lux-hdr-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for (format, ext, tol) in [(ImageFormat.exr, "exr", Float(1e-6)), (.hdr, "hdr", Float(0.01))] {
        let path = dir + "/m." + ext
        try ImageIO.write(ImageFile(image: map.image, metadata: ImageMetadata(format: format, bitDepth: 32, isFloat: true)),
                          to: path, format: format, options: EncodeOptions(bitDepth: 32))
        let back = try ImageIO.read(path: path).image
        #expect(back.width == 33 && back.height == 17)
        let n = map.image.planeCount
        for i in 0..<(3 * n) {
            let a = map.image.pixels[i], b = back.pixels[i]
            #expect(abs(a - b) <= tol * max(a, 1.0 / 64), "\(ext) sample \(i): \(a) vs \(b)")
        }
    }
}
