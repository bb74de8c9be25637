import Foundation
import Testing
import LuxImage
import LuxTensor
import LuxAgent

func tinyPairs() -> TrainingData {
    // Targets: the inputs brightened by one stop (an edit the exposure filter can make).
    let ins = randomThumbs(3, seed: 11).map { img -> Image in var i = img; for k in 0..<i.pixels.count { i.pixels[k] *= 0.5 }; return i }
    let outs = randomThumbs(3, seed: 11)
    return TrainingData(.pairs(zip(ins, outs).map { ($0, $1) }), side: 64)
}

@Test func supervisedIterationsChangeWeights() throws {
    let trainer = try AgentTrainer(config: tinyConfig, options: TrainerOptions(mode: .supervised, batch: 2, learningRate: 1e-2, seed: 4), data: tinyPairs())
    let before = paramsSnapshot(trainer.actor)
    var losses: [[(String, Float)]] = []
    for _ in 0..<3 { losses.append(trainer.step()) }
    let after = paramsSnapshot(trainer.actor)
    #expect(trainer.iteration == 3)
    #expect(before != after)
    #expect(losses.allSatisfy { $0.allSatisfy { $0.1.isFinite } })
    // The first step must find an improving filter for a 1-stop under-exposure.
    #expect(losses[0].first { $0.0 == "steps" }!.1 >= 1)
}

@Test func adversarialIterationsChangeWeights() throws {
    let data = TrainingData(.unpaired(inputs: randomThumbs(3, seed: 1), targets: randomThumbs(3, seed: 2)), side: 64)
    let trainer = try AgentTrainer(config: tinyConfig, options: TrainerOptions(mode: .adversarial, batch: 2, learningRate: 1e-3, seed: 4), data: data)
    let actor0 = paramsSnapshot(trainer.actor), critic0 = paramsSnapshot(trainer.critic), value0 = paramsSnapshot(trainer.value)
    var losses: [[(String, Float)]] = []
    for _ in 0..<2 { losses.append(trainer.step()) }
    #expect(paramsSnapshot(trainer.actor) != actor0)
    #expect(paramsSnapshot(trainer.critic) != critic0)
    #expect(paramsSnapshot(trainer.value) != value0)
    #expect(losses.allSatisfy { $0.allSatisfy { $0.1.isFinite } })
}

@Test func checkpointResumeIsBitIdentical() throws {
    let options = TrainerOptions(mode: .supervised, batch: 2, learningRate: 1e-2, seed: 8)
    let a = try AgentTrainer(config: tinyConfig, options: options, data: tinyPairs())
    a.step(); a.step()
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lux-agent-ckpt-\(UUID()).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try a.saveCheckpoint(to: url)
    let next = a.step()
    let b = try AgentTrainer(config: tinyConfig, options: options, data: tinyPairs())
    try b.resume(from: url)
    #expect(b.iteration == 2)
    let resumed = b.step()
    #expect(next.map(\.1) == resumed.map(\.1))
    #expect(paramsSnapshot(a.actor) == paramsSnapshot(b.actor))
}

@Test func adversarialResumeIsBitIdentical() throws {
    let data = TrainingData(.unpaired(inputs: randomThumbs(3, seed: 1), targets: randomThumbs(3, seed: 2)), side: 64)
    let options = TrainerOptions(mode: .adversarial, batch: 2, learningRate: 1e-3, seed: 5)
    let a = try AgentTrainer(config: tinyConfig, options: options, data: data)
    a.step(); a.step()
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lux-agent-adv-\(UUID()).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try a.saveCheckpoint(to: url)
    let next = a.step()
    let b = try AgentTrainer(config: tinyConfig, options: options, data: data)
    try b.resume(from: url)
    let resumed = b.step()
    #expect(next.map(\.1) == resumed.map(\.1))
    #expect(paramsSnapshot(a.critic) == paramsSnapshot(b.critic))
}

