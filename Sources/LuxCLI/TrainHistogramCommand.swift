import ArgumentParser
import Foundation
import LuxHistogram
import LuxImage
import LuxTensor

/// `lux train histogram`: trains the histogram network behind `lux enhance --engine histogram`
/// (self-supervised: random edits of good photos, predict the original's 3-D histogram, KL loss);
/// with `--validate`, evaluates a model on held-out linear photos instead.
public struct TrainHistogramCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "histogram",
        abstract: "Train the 3-D histogram network (self-supervised, random edits of good photos).",
        discussion: """
        Data: --photos DIR (ordinary photos, repeatable) and --linear DIR (linear 16-bit photos such as
        fivek-linear, rendered well exposed; repeatable); names listed in --exclude-list are never read.
        Writes OUT (float16 safetensors) and a checkpoint OUT.ckpt (+ OUT.ckpt.adam) every
        --checkpoint-every iterations; --resume OUT.ckpt continues a run exactly.
        --validate: do not train; render the --exclude-list photos of --linear well exposed, apply one
        seeded random edit each, run the engine with --model (default: the embedded model) and print PSNR
        and CIEDE2000 of the edited input and of the output against the original.
        """
    )

    @Option(help: "Folder of good photos (repeatable).") var photos: [String] = []
    @Option(help: "Folder of linear 16-bit photos, rendered well exposed (repeatable).") var linear: [String] = []
    @Option(name: .customLong("exclude-list"), help: "File names (one a line) to leave out of training.") var excludeList: String?
    @Option(help: "Output model (safetensors, float16).") var out: String?
    @Option(help: "Training iterations.") var iterations = 3000
    @Option(help: "Batch size (histogram pairs per step).") var batch = 32
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(name: .customLong("learning-rate"), help: "Adam learning rate (cosine decay to 5 %).") var learningRate: Float = 1e-3
    @Option(name: .customLong("weight-decay"), help: "Adam L2 weight decay.") var weightDecay: Float = 0
    @Option(help: "Histogram bins per axis.") var bins = 16
    @Option(help: "Hidden width of the network.") var hidden = 256
    @Option(help: "Longest side the training photos are loaded at (crops are edited at this size, then thumbnailed to 192 px for their histograms).") var side = 384
    @Option(name: .customLong("checkpoint-every"), help: "Write OUT and OUT.ckpt every N iterations.") var checkpointEvery = 250
    @Option(help: "Resume from this checkpoint.") var resume: String?
    @Option(help: "Start from these weights (a model file, or `default`: the embedded model); the architecture is the model's.") var `init`: String?
    @Option(name: .customLong("linear-share"), help: "Probability that a training sample comes from the --linear renders (default: every photo equally likely).") var linearShare: Double?
    @Flag(name: .customLong("validate"), help: "Do not train: evaluate --model on the --exclude-list photos of --linear.") var validateOnly = false
    @Option(help: "With --validate: the model to evaluate (default: the embedded one).") var model: String?
    @Option(name: .customLong("validate-seed"), help: "With --validate: seed of the random edits.") var validateSeed: UInt64 = 2026
    @Flag(help: "With --validate: move each photo onto its original's histogram instead of the prediction (the transfer's upper bound).") var oracle = false
    @Option(help: "With --validate: how far to move, in image space: x + s·(T(x) − x) (1: all the way onto the prediction; default: the model's calibrated per-photo strength, or 0.5 for a model without one).") var strength: Float?
    @Flag(name: .customLong("no-regrain"), help: "With --validate: skip the regrain step (to see what it adds).") var noRegrain = false
    @Flag(help: "Do not train: calibrate the per-photo strength of --model on the --linear photos *not* in --exclude-list; --out writes the model with it.") var calibrate = false
    @Option(name: .customLong("calibrate-seeds"), parsing: .upToNextOption, help: "With --calibrate: edit seeds (one edit per photo and seed).") var calibrateSeeds: [UInt64] = [101, 202, 303, 404, 505, 606, 707, 808, 909, 1010]
    @Option(name: .customLong("calibrate-csv"), help: "With --calibrate: write the per-edit scores here (CSV).") var calibrateCSV: String?
    @Option(name: .customLong("calibrate-from"), help: "With --calibrate: fit on these scores (CSV from --calibrate-csv, repeatable) instead of scoring edits.") var calibrateFrom: [String] = []

    public init() {}

    public func validate() throws {
        if calibrate && !calibrateFrom.isEmpty { return }
        if validateOnly || calibrate {
            if linear.count != 1 || excludeList == nil { throw ValidationError("--validate needs one --linear folder and --exclude-list") }
            return
        }
        if out == nil { throw ValidationError("--out is required for training") }
        if !calibrateFrom.isEmpty { throw ValidationError("--calibrate-from needs --calibrate") }
        if photos.isEmpty && linear.isEmpty { throw ValidationError("give at least one --photos or --linear folder") }
        if let linearShare, !(0...1).contains(linearShare) { throw ValidationError("--linear-share must be in 0...1") }
        if iterations < 1 || batch < 1 || checkpointEvery < 1 || hidden < 1 || !(2...64).contains(bins) || side < 8 {
            throw ValidationError("iterations, batch, intervals, hidden must be positive; bins 2-64; side >= 8")
        }
    }

    func excluded() throws -> [String] {
        guard let excludeList else { return [] }
        return try String(contentsOfFile: excludeList, encoding: .utf8).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public func run() throws {
        if validateOnly { try runValidation(); return }
        if calibrate { try runCalibration(); return }
        let out = self.out!
        let start = Date()
        var data = try HistogramTrainingData.load(photos: photos, linear: linear, exclude: Set(try excluded()), side: side)
        data.linearShare = linearShare
        log(String(format: "loaded %d photos in %.1f s", data.photos.count, Date().timeIntervalSince(start)))
        let net = try `init`.map { try loadNet($0) } ?? HistogramNet(bins: bins, hidden: hidden, seed: seed)
        net.strength = nil  // a calibration belongs to the weights it was fitted on: recalibrate (--calibrate) after training
        if let source = `init` { log("starting from \(source) (\(net.bins)^3 bins, hidden \(net.hidden))") }
        let trainer = HistogramTrainer(net: net, data: data, batch: batch, learningRate: learningRate,
                                       weightDecay: weightDecay, iterations: iterations, seed: seed)
        let ckpt = URL(fileURLWithPath: out + ".ckpt")
        try resumeIfAsked(trainer, from: resume, log: log)
        log("training histogram net: \(bins)^3 bins, hidden \(hidden), \(net.parameterCount) parameters, batch \(batch), seed \(seed)")
        let t0 = Date()
        var avgLoss: Float?, avgBase: Float?
        while trainer.iteration < iterations {
            let (loss, base) = trainer.step()
            avgLoss = (avgLoss ?? loss) * 0.95 + loss * 0.05
            avgBase = (avgBase ?? base) * 0.95 + base * 0.05
            let it = trainer.iteration
            if it % 25 == 0 || it == iterations {
                log(String(format: "iter %d/%d  KL %.4f  (edited input %.4f)  lr %.2e  %.0f s", it, iterations, avgLoss!, avgBase!,
                           trainer.optimizer.learningRate, Date().timeIntervalSince(t0)))
            }
            if it % checkpointEvery == 0 || it == iterations {
                try trainer.saveCheckpoint(to: ckpt)
                try trainer.saveModel(to: URL(fileURLWithPath: out), extra: ["iteration": "\(it)", "seed": "\(seed)"])
            }
        }
        try trainer.saveModel(to: URL(fileURLWithPath: out), extra: ["iteration": "\(trainer.iteration)", "seed": "\(seed)"])
        log(String(format: "wrote %@ after %d iterations (%.0f s)", out, trainer.iteration, Date().timeIntervalSince(start)))
    }

    func runValidation() throws {
        let net = try loadNet(model ?? "default")
        let names = try excluded()
        let paths = names.map { (linear[0] as NSString).appendingPathComponent($0) }
        var enhancer = HistogramEnhancer(net: net)
        enhancer.regrain = !noRegrain
        enhancer.strength = strength
        let rows = try HistogramValidation.run(paths: paths, enhancer: enhancer, seed: validateSeed, oracle: oracle)
        print(HistogramValidation.table(rows), terminator: "")
    }

    /// A model file, or the embedded default for `default`.
    func loadNet(_ source: String) throws -> HistogramNet {
        source == "default" ? try HistogramNet.loadDefault() : try HistogramNet(contentsOf: URL(fileURLWithPath: source))
    }

    func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}
