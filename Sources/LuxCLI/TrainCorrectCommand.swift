import ArgumentParser
import Foundation
import LuxCorrect
import LuxTensor

/// `lux train correct`: trains the multi-scale exposure-correction network behind `lux correct`.
public struct TrainCorrectCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Train the multi-scale exposure-correction network (Laplacian pyramid, one U-Net per level).",
        discussion: "Renders training pairs on the fly from linear 16-bit photos (--data): a random crop at -1.5, -1, 0, +1 "
            + "or +1.5 EV through a camera-like tone curve, clipped and 8-bit quantised, against the crop at 0 EV through the "
            + "sRGB curve. Progressive patches: 128x128 (batch 8), 256x256 (batch 4), 256x384 (batch 2)."
    )

    @Option(help: "Folder of linear 16-bit PNGs (e.g. ../shared/data/fivek-linear).") var data: String
    @Option(name: .customLong("exclude-list"), help: "File names (one a line) to leave out, e.g. VAL.txt.") var excludeList: String?
    @Option(help: "Output model (safetensors, float16).") var out: String
    @Option(help: "Iterations of the three patch stages, comma-separated.") var iterations: String = "600,300,150"
    @Option(help: "First-layer channels of each level's U-Net, finest first (paper: 16,24,24,24).") var channels: String = "4,8,12,16"
    @Option(name: .customLong("learning-rate"), help: "Adam learning rate (halved halfway through each stage).") var learningRate: Float = 5e-4
    @Option(name: .customLong("adversarial-weight"), help: "Weight of the adversarial loss (0: off).") var adversarialWeight: Float = 0
    @Option(name: .customLong("adversarial-from"), help: "First iteration with the adversarial loss.") var adversarialFrom: Int = 0
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(name: .customLong("checkpoint-every"), help: "Write a checkpoint (OUT.ckpt) and the model every N iterations.") var checkpointEvery: Int = 50
    @Option(help: "Resume from this checkpoint.") var resume: String?
    @Option(help: "Worker threads for the convolutions (OMP_NUM_THREADS).") var threads: Int?

    public init() {}

    static func ints(_ s: String, _ name: String) throws -> [Int] {
        let xs = s.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !xs.isEmpty, xs.allSatisfy({ $0 != nil && $0! >= 0 }) else { throw ValidationError("--\(name): comma-separated non-negative integers") }
        return xs.map { $0! }
    }

    public func validate() throws {
        let its = try Self.ints(iterations, "iterations")
        if its.count != 3 { throw ValidationError("--iterations: three stage lengths, e.g. 600,300,150") }
        let ch = try Self.ints(channels, "channels")
        if ch.count != 4 || ch.contains(0) { throw ValidationError("--channels: four positive channel counts, finest level first") }
        if checkpointEvery < 1 || adversarialWeight < 0 { throw ValidationError("--checkpoint-every must be positive, --adversarial-weight non-negative") }
    }

    public func run() throws {
        // libgomp reads OMP_WAIT_POLICY when it loads: set it and re-exec once. Without PASSIVE, oneDNN's
        // OpenMP workers spin between primitives; measured on the shared 2-core machine at load ~9:
        // 0.24 -> 0.5-0.7 steps/s (256² patches, batch 4).
        if getenv("OMP_WAIT_POLICY") == nil {
            setenv("OMP_WAIT_POLICY", "PASSIVE", 1)
            execv("/proc/self/exe", CommandLine.unsafeArgv)
        }
        if let threads { setenv("OMP_NUM_THREADS", "\(threads)", 1) }
        let config = CorrectConfig(channels: try Self.ints(channels, "channels"))
        var options = CorrectTrainingOptions(stages: CorrectTrainingOptions.defaultStages(iterations: try Self.ints(iterations, "iterations")))
        options.learningRate = learningRate
        options.adversarialWeight = adversarialWeight
        options.adversarialFrom = adversarialFrom
        options.seed = seed
        let pairs = try TrainingPairs.load(folder: data, excludeList: excludeList)
        let trainer = CorrectTrainer(config: config, options: options, data: pairs)
        let outURL = URL(fileURLWithPath: out), ckpt = URL(fileURLWithPath: out + ".ckpt")
        try resumeIfAsked(trainer, from: resume, log: log)
        let total = options.totalIterations
        log("training correct: \(trainer.network.parameterCount) parameters, channels \(config.channels), \(pairs.photos.count) photos, "
            + "stages \(options.stages.map { "\($0.height)x\($0.width)b\($0.batch)x\($0.iterations)" }.joined(separator: " ")), seed \(seed)")
        let start = Date()
        let startIteration = trainer.iteration
        var avg: [String: Float] = [:], names: [String] = []
        while trainer.iteration < total {
            let parts = trainer.step()
            for (k, v) in parts.sorted(by: { $0.key < $1.key }) { if avg[k] == nil { names.append(k) }; avg[k] = (avg[k] ?? v) * 0.9 + v * 0.1 }
            let it = trainer.iteration
            if it % 10 == 0 || it == total {
                let elapsed = Date().timeIntervalSince(start)
                let fields = names.map { String(format: "%@ %.4f", $0, avg[$0]!) }.joined(separator: "  ")
                log(String(format: "iter %d/%d stage %d  %@  %.1f s  %.3f steps/s", it, total, options.stage(at: it - 1).index + 1, fields,
                           elapsed, Double(it - startIteration) / max(elapsed, 1e-9)))
            }
            if it % checkpointEvery == 0 || it == total {
                try trainer.saveCheckpoint(to: ckpt)
                try trainer.saveModel(to: outURL, extraMetadata: ["lux.correct.seed": "\(seed)"])
            }
        }
        try trainer.saveModel(to: outURL, extraMetadata: ["lux.correct.seed": "\(seed)"])
        log(String(format: "wrote %@ after %d iterations (%.0f s this run)", out, trainer.iteration, Date().timeIntervalSince(start)))
    }

    func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}
