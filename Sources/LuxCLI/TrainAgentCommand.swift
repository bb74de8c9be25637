import ArgumentParser
import Foundation
import LuxAgent
import LuxImage
import LuxTensor
import LuxIO
import LuxColor
import LuxDatasets

/// `lux train`: the training commands (one subcommand per engine).
public struct TrainCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train Lux's learned engines.",
        subcommands: [TrainAgentCommand.self, TrainHistogramCommand.self, TrainHDRCommand.self, TrainCorrectCommand.self,
                      TrainAdjustCommand.self]
    )
    public init() {}
}

/// `lux train agent`: trains the white-box editing agent behind `lux enhance`.
public struct TrainAgentCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Train the white-box editing agent (supervised pairs, exposure pairs, or unpaired RL + GAN).",
        discussion: "Exactly one data source: --inputs/--targets (unpaired, RL + GAN), --pairs DIR (DIR/inputs, DIR/targets, "
            + "matching names) or --exposure-pairs DIR (linear 16-bit photos rendered at random EV in [-2, +2])."
    )

    @Option(help: "Unpaired: input photos.") var inputs: String?
    @Option(help: "Unpaired: target-style photos.") var targets: String?
    @Option(help: "Paired: DIR/inputs and DIR/targets with matching names.") var pairs: String?
    @Option(name: .customLong("exposure-pairs"), help: "Linear photos to render exposure pairs from.") var exposurePairs: String?
    @Option(name: .customLong("exclude-list"), help: "File names (one a line) to leave out of --exposure-pairs.") var excludeList: String?
    @Option(help: "Output model (safetensors, float16).") var out: String
    @Option(help: "Training iterations.") var iterations: Int = 1000
    @Option(help: "Batch size.") var batch: Int = 8
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(name: .customLong("learning-rate"), help: "Adam learning rate.") var learningRate: Float = 3e-4
    @Option(name: .customLong("base-channels"), help: "Channels of the first convolution (paper: 32).") var baseChannels: Int = 32
    @Option(name: .customLong("checkpoint-every"), help: "Write a checkpoint (OUT.ckpt) every N iterations.") var checkpointEvery: Int = 100
    @Option(name: .customLong("samples-every"), help: "Write a PNG sheet of sample edits every M iterations (0: never).") var samplesEvery: Int = 0
    @Option(name: .customLong("critic-steps"), help: "Unpaired: critic updates per iteration (paper: 5).") var criticSteps: Int = 1
    @Option(name: .customLong("init"), help: "Start the actor from this model (a file from `lux train agent`, or 'default' for the embedded one); its configuration must match this run's (e.g. --base-channels 16 for the default).") var initModel: String?
    @Option(help: "Resume from this checkpoint.") var resume: String?
    @Option(help: "Worker threads for the convolutions (OMP_NUM_THREADS).") var threads: Int?
    @Option(name: .customLong("validate-to"), help: "Do not train: enhance the --exclude-list photos of --exposure-pairs rendered at -1.5, -1, +1, +1.5 EV with the model --out and write NAME_evEV_{input,agent,target}.png to this folder.")
    var validateTo: String?

    public init() {}

    public func validate() throws {
        let sources = [inputs != nil || targets != nil, pairs != nil, exposurePairs != nil].filter { $0 }.count
        if sources != 1 { throw ValidationError("give exactly one of --inputs/--targets, --pairs, --exposure-pairs") }
        if (inputs == nil) != (targets == nil) { throw ValidationError("--inputs and --targets go together") }
        if iterations < 0 || batch < 1 || checkpointEvery < 1 || samplesEvery < 0 { throw ValidationError("iterations, batch and intervals must be positive") }
    }

    public func run() throws {
        if let threads { setenv("OMP_NUM_THREADS", "\(threads)", 1) }
        if let validateTo { try validate(to: validateTo); return }
        let config = AgentConfig(baseChannels: baseChannels)
        let data: TrainingData
        let mode: TrainingMode
        if let inputs, let targets {
            data = try TrainingData.unpaired(inputs: inputs, targets: targets, side: config.thumbnail); mode = .adversarial
        } else if let pairs {
            data = try TrainingData.pairs(dir: pairs, side: config.thumbnail); mode = .supervised
        } else {
            data = try TrainingData.exposure(dir: exposurePairs!, excludeList: excludeList, side: config.thumbnail); mode = .supervised
        }
        var options = TrainerOptions(mode: mode, batch: batch, learningRate: learningRate, seed: seed)
        options.criticSteps = max(1, criticSteps)
        options.poolSize = max(64, 16 * batch)
        let trainer = try AgentTrainer(config: config, options: options, data: data)
        let outURL = URL(fileURLWithPath: out)
        let ckpt = URL(fileURLWithPath: out + ".ckpt")
        if let initModel, resume == nil {
            let agent = try initModel == "default" ? EnhanceAgent.loadDefault() : EnhanceAgent(contentsOf: URL(fileURLWithPath: initModel))
            guard agent.config == config else {
                throw ValidationError("--init \(initModel): the model's configuration differs from this run's (base channels \(agent.config.baseChannels) vs \(config.baseChannels))")
            }
            for (mine, theirs) in zip(trainer.actor.parameters(), agent.actor.parameters()) { mine.data = theirs.data }
            log("actor initialised from \(initModel)")
        }
        try resumeIfAsked(trainer, from: resume, log: log)
        log("training agent: mode \(mode.rawValue), \(trainer.actor.parameterCount) actor parameters, batch \(batch), seed \(seed)")
        // Fixed sample photos for the sheets.
        var sampleRNG = RNG(seed: seed ^ 0x5A3E)
        let samples = data.batch(4, rng: &sampleRNG)
        let sampleInputs = (0..<4).map { AgentState.image(samples.inputs, sample: $0) }
        let sampleTargets = data.isPaired ? (0..<4).map { AgentState.image(samples.targets, sample: $0) } : nil
        let start = Date()
        var avg: [String: Float] = [:], names: [String] = []
        while trainer.iteration < iterations {
            let losses = trainer.step()
            for (k, v) in losses { if avg[k] == nil { names.append(k) }; avg[k] = (avg[k] ?? v) * 0.95 + v * 0.05 }
            let it = trainer.iteration
            if it % 10 == 0 || it == iterations {
                let elapsed = Date().timeIntervalSince(start)
                let fields = names.map { String(format: "%@ %.4f", $0, avg[$0]!) }.joined(separator: "  ")
                let line = String(format: "iter %d/%d  %@  %.1f s", it, iterations, fields, elapsed)
                if isatty(2) != 0 { FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8)) } else { log(line) }
            }
            if it % checkpointEvery == 0 || it == iterations {
                try trainer.saveCheckpoint(to: ckpt)
                try trainer.saveModel(to: outURL)
            }
            if samplesEvery > 0 && it % samplesEvery == 0 {
                let agent = try EnhanceAgent(actor: trainer.actor)
                try SampleSheet.write(agent: agent, inputs: sampleInputs, targets: sampleTargets, to: out + ".samples-\(it).png")
            }
        }
        if isatty(2) != 0 { FileHandle.standardError.write(Data("\n".utf8)) }
        try trainer.saveModel(to: outURL)
        log(String(format: "wrote %@ after %d iterations (%.0f s)", out, trainer.iteration, Date().timeIntervalSince(start)))
    }

    /// The exposure validation renderings: input, agent output and target, sRGB 8-bit PNG.
    func validate(to dir: String) throws {
        guard let src = exposurePairs, let list = excludeList else { throw ValidationError("--validate-to needs --exposure-pairs and --exclude-list") }
        let agent = try EnhanceAgent(contentsOf: URL(fileURLWithPath: out))
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let names = try String(contentsOfFile: list, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        func save(_ img: Image, _ path: String) throws {
            try ImageIO.write(ImageFile(image: img, metadata: ImageMetadata(format: .png, bitDepth: 8)), to: path, format: .png)
        }
        for name in names {
            var lin = try ImageIO.read(path: src + "/" + name).image.rgb()
            lin.colorSpace = .working
            for ev: Float in [-1.5, -1, 1, 1.5] {
                let (input, target) = ExposureRendering.pair(lin, ev: ev)
                let result = agent.enhance(ColorPipeline.toWorking(input, from: .sRGB))
                let stem = dir + "/" + (name as NSString).deletingPathExtension + String(format: "_ev%+.1f", ev)
                try save(input, stem + "_input.png"); try save(target, stem + "_target.png")
                try save(ColorPipeline.fromWorking(result.image, to: .sRGB), stem + "_agent.png")
                log("\(name) ev \(ev): \(result.recipe.description)")
            }
        }
    }

    func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}
