import ArgumentParser
import Foundation
import LuxAdjust
import LuxDatasets
import LuxTensor

/// `lux train adjust`: trains the semantics-aware adjustment network of one effect, or validates models.
public struct TrainAdjustCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "adjust",
        abstract: "Train the semantics-aware adjustment network of one effect (or --validate models on held-out photos).",
        discussion: "Data: Yan et al.'s set (--data, default ../shared/data/yan-semantic: input/ and one folder per effect). "
            + "The ids of the embedded VAL.txt are never trained on. Per step: --batch photos, each flipped and rotated at random "
            + "(up to --max-rotation degrees), --pixels random pixels each, map-reweighted Huber loss on the residual Lab colour. "
            + "--validate prints the mean per-pixel CIELab L2 distance to the photographer's version on the held-out photos for "
            + "the input, a global quadratic colour map fitted on the training photos, and the model (--model, or the embedded "
            + "default; without --effect, all three effects)."
    )

    @Option(help: "Yan et al.'s folder (input/, pop-out/, xpro/, watercolor/).") var data: String = "../shared/data/yan-semantic"
    @Option(help: "Effect: pop-out, xpro or watercolor.") var effect: String?
    @Option(help: "Output model (safetensors, float16).") var out: String?
    @Flag(name: .customLong("validate"), help: "Evaluate instead of training.") var validateOnly = false
    @Flag(name: .customLong("print-split"), help: "Print the held-out ids drawn from --data by the fixed seed (the list VAL.txt holds) and exit.")
    var printSplit = false
    @Option(help: "Model to validate (default: the embedded one).") var model: String?
    @Flag(name: .customLong("per-photo"), help: "With --validate: also print each held-out photo's input and model distance.") var perPhoto = false
    @Option(help: "Training iterations.") var iterations: Int = 1500
    @Option(help: "Photos per step.") var batch: Int = 4
    @Option(help: "Sampled pixels per photo per step (the paper: 2048).") var pixels: Int = 2048
    @Option(help: "Number of semantic adjustment maps (presets).") var maps: Int = 6
    @Option(help: "Rank of the bilinear pooling.") var rank: Int = 24
    @Option(name: .customLong("context-side"), help: "Longest side of the context branch's input (16-1024).") var contextSide: Int = 128
    @Option(help: "Abstraction then colour: start the colour map from the photo's edge-aware smoothing 'σs,σr' (σs a fraction of the longest side, σr in Lab; e.g. 0.046875,40). Default: from the pixel.")
    var abstraction: String?
    @Flag(name: .customLong("preset-maps"), help: "Give each preset its own quadratic Lab colour map too (its residual weighted by the preset's map).") var presetMaps = false
    @Option(name: .customLong("max-rotation"), help: "Largest augmentation rotation, degrees.") var maxRotation: Float = 5
    @Option(name: .customLong("learning-rate"), help: "Adam learning rate (halved at 60 % and 85 %).") var learningRate: Float = 2e-3
    @Option(name: .customLong("huber-delta"), help: "Huber δ in units of 10 Lab.") var huberDelta: Float = 1
    @Flag(name: .customLong("multi-task"), help: "Train the other two effects alongside (shared context and maps, own bilinear heads); write only --effect's model.")
    var multiTask = false
    @Option(name: .customLong("pretrain-context"), help: "Self-supervised colourisation steps for the context branch before training (0: none).")
    var pretrainContext: Int = 0
    @Option(name: .customLong("pretrain-data"), parsing: .upToNextOption, help: "Folders of unedited photos for --pretrain-context.")
    var pretrainData: [String] = []
    @Flag(name: .customLong("no-reweight"), help: "Train without the maps' class reweighting.") var noReweight = false
    @Option(name: .customLong("foreground-weight"), help: "Weight of the auxiliary foreground loss: the first half of the presets learn the subject from pseudo-labels read off the targets (chroma kept vs desaturated; for pop-out). 0: off.")
    var foregroundWeight: Float = 0
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(name: .customLong("checkpoint-every"), help: "Write a checkpoint (OUT.ckpt) and the model every N iterations.") var checkpointEvery: Int = 100
    @Option(help: "Resume from this checkpoint.") var resume: String?
    @Option(help: "Worker threads for the convolutions (OMP_NUM_THREADS).") var threads: Int?
    @Option(name: .customLong("tune-split"), help: "Hold out this many of the training photos too (a seeded draw, seed 10; VAL.txt stays out): training skips them and --validate evaluates on them instead of VAL.txt, for choosing settings without looking at the held-out photos (0: off).")
    var tuneSplit: Int = 0

    public init() {}

    public func validate() throws {
        if let effect { do { _ = try AdjustEffect.parse(effect) } catch { throw ValidationError("\(error)") } }
        guard tuneSplit >= 0 else { throw ValidationError("--tune-split must be 0 (off) or a number of training photos to hold out") }
        if !validateOnly && !printSplit {
            guard effect != nil, out != nil else { throw ValidationError("training needs --effect and --out") }
            guard (16...1024).contains(contextSide) else { throw ValidationError("--context-side must be 16-1024") }
            if let abstraction, Abstraction(text: abstraction) == nil { throw ValidationError("--abstraction must be 'σs,σr' with 0 < σs ≤ 1 and σr > 0") }
            guard iterations > 0, batch > 0, pixels > 0, maps > 0, rank > 0, checkpointEvery > 0, huberDelta > 0, foregroundWeight >= 0, maps >= 2 || foregroundWeight == 0 else {
                throw ValidationError("--iterations, --batch, --pixels, --maps, --rank, --checkpoint-every and --huber-delta must be positive (--foreground-weight ≥ 0, with at least 2 maps)")
            }
        }
    }

    public func run() throws {
        if getenv("OMP_WAIT_POLICY") == nil {  // see `lux train correct`: passive OpenMP waiting on the shared machine
            setenv("OMP_WAIT_POLICY", "PASSIVE", 1)
            execv("/proc/self/exe", CommandLine.unsafeArgv)
        }
        if let threads { setenv("OMP_NUM_THREADS", "\(threads)", 1) }
        let all = try AdjustDataset.ids(root: data)
        if printSplit { return print(AdjustDataset.heldOut(all).joined(separator: "\n")) }
        let heldOut = try AdjustDataset.bundledValidationIDs()
        var train = all.filter { !Set(heldOut).contains($0) }, val = heldOut
        if tuneSplit > 0 {
            (train, val) = AdjustDataset.tuneSplit(train, count: tuneSplit)
        }
        if validateOnly { return try runValidation(val: val, train: train) }
        let eff = try AdjustEffect.parse(effect!)
        let config = AdjustConfig(maps: maps, rank: rank, contextSide: contextSide, abstraction: abstraction.flatMap { Abstraction(text: $0) }, presetMaps: presetMaps)
        var options = AdjustTrainingOptions()
        options.iterations = iterations; options.batch = batch; options.pixels = pixels; options.maxRotation = maxRotation
        options.learningRate = learningRate; options.reweight = !noReweight; options.seed = seed
        options.huberDelta = huberDelta; options.foregroundWeight = foregroundWeight
        let effects = [eff] + (multiTask ? AdjustEffect.allCases.filter { $0 != eff } : [])
        let photos = try AdjustDataset.load(root: data, effects: effects, ids: train, config: config)
        let trainer = AdjustTrainer(config: config, options: options, photos: photos)
        let outURL = URL(fileURLWithPath: out!), ckpt = URL(fileURLWithPath: out! + ".ckpt")
        try resumeIfAsked(trainer, from: resume, log: log)
        log("training adjust \(eff.rawValue): \(trainer.network.parameterCount) parameters, \(maps) maps, rank \(rank), \(photos.count) photos "
            + "(\(val.count) held out), batch \(batch) x \(pixels) px, seed \(seed)"
            + (multiTask ? ", multi-task with \(effects.dropFirst().map(\.rawValue).joined(separator: ", "))" : ""))
        if pretrainContext > 0 && resume == nil {
            let extra = try ContextPretraining.load(folders: pretrainData, config: config)
            let own = photos.map { $0.levels[0] }
            log("pre-training the context branch: colourisation, \(pretrainContext) steps, \(extra.count) photos from --pretrain-data + \(own.count) training inputs")
            let t0 = Date()
            ContextPretraining.run(trainer.network, photos: extra + own, iterations: pretrainContext, seed: seed) { it, l1 in
                if it % 50 == 0 || it == pretrainContext { log(String(format: "pretrain %d/%d  ab-l1 %.2f  %.1f s", it, pretrainContext, l1, Date().timeIntervalSince(t0))) }
            }
        }
        let start = Date(), first = trainer.iteration
        var avgLoss: Float? = nil, avgL2: Float? = nil
        while trainer.iteration < iterations {
            let (l, d) = trainer.step()
            avgLoss = (avgLoss ?? l) * 0.9 + l * 0.1; avgL2 = (avgL2 ?? d) * 0.9 + d * 0.1
            let it = trainer.iteration
            if it % 10 == 0 || it == iterations {
                let t = Date().timeIntervalSince(start)
                log(String(format: "iter %d/%d  loss %.4f  lab-l2 %.2f  %.1f s  %.2f steps/s", it, iterations, avgLoss!, avgL2!, t,
                           Double(it - first) / max(t, 1e-9)))
            }
            if it % checkpointEvery == 0 || it == iterations {
                try trainer.saveCheckpoint(to: ckpt)
                try trainer.saveModel(to: outURL, extraMetadata: ["lux.adjust.seed": "\(seed)", "lux.adjust.effect": eff.rawValue])
            }
        }
        try trainer.saveModel(to: outURL, extraMetadata: ["lux.adjust.seed": "\(seed)", "lux.adjust.effect": eff.rawValue])
        log(String(format: "wrote %@ after %d iterations (%.0f s this run)", out!, trainer.iteration, Date().timeIntervalSince(start)))
    }

    func runValidation(val: [String], train: [String]) throws {
        let effects = try effect.map { [try AdjustEffect.parse($0)] } ?? AdjustEffect.allCases
        print("\(data): \(val.count) held-out photos (\(tuneSplit > 0 ? "--tune-split \(tuneSplit) of the training photos" : "VAL.txt")), mean per-pixel L2 in CIELab")
        print(AdjustValidation.header)
        for eff in effects {
            let adjuster = try model.map { try PhotoAdjuster(contentsOf: URL(fileURLWithPath: $0)) } ?? PhotoAdjuster.loadDefault(eff)
            let config = adjuster.config
            let v = try AdjustValidation.run(effect: eff, adjuster: adjuster,
                                             validation: try AdjustDataset.load(root: data, effect: eff, ids: val, config: config),
                                             training: try AdjustDataset.load(root: data, effect: eff, ids: train, config: config),
                                             perPhoto: perPhoto ? { print(String(format: "  %@  %6.2f  %6.2f", $0, $1, $2)) } : nil)
            print(v.row)
        }
    }

    func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}
