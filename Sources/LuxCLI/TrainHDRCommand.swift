import ArgumentParser
import Foundation
import LuxDatasets
import LuxHDR
import LuxTensor

/// `lux train hdr`: trains the highlight-hallucination network behind `lux reexpose` / `lux hdr`;
/// with `--validate`, scores a model against plain clipping and a smooth (harmonic) fill instead.
public struct TrainHDRCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "hdr",
        abstract: "Train the highlight-hallucination network (radiance-map reconstruction), or --validate one.",
        discussion: """
        Training pairs: linear photos (--linear, 16-bit PNG, minus --exclude-list) and radiance maps (--hdr-dir,
        .exr/.hdr) exposed at -3..+3 EV, clipped, encoded with random CRFs and quantised to 8 bits.
        --validate: the --val-list photos of --linear as radiance maps, over-exposed by --ev, clipped, CRF
        (--crf), 8-bit, then reconstructed by the model (--model, default: embedded), plain clipping and a
        harmonic fill; prints log PSNR and PSNR after re-exposing by -EV inside the clipped regions.
        """
    )

    @Option(help: "Folder of linear 16-bit PNG photos (fivek-linear).") var linear: String?
    @Option(name: .customLong("exclude-list"), help: "File names (one a line) to leave out of --linear (training).") var excludeList: String?
    @Option(name: .customLong("hdr-dir"), help: "Folder of .exr/.hdr radiance maps to train on too.") var hdrDir: String?
    @Option(help: "Output model (safetensors, float16); OUT.ckpt is the checkpoint.") var out: String?
    @Option(help: "Exposure 0 of a source before the random EV: q95 (the seed's normalisation: 95 % of the pixels in [0, 1]) or mean (mean luminance 0.18).")
    var anchor: String = "q95"
    @Option(help: "Training iterations.") var iterations: Int = 3000
    @Option(help: "Batch size.") var batch: Int = 8
    @Option(help: "Side of the square training crops (multiple of 16).") var side: Int = 64
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(name: .customLong("learning-rate"), help: "Adam learning rate.") var learningRate: Float = 5e-4
    @Option(name: .customLong("base-channels"), help: "Channels of the first U-Net level.") var baseChannels: Int = 16
    @Option(name: .customLong("checkpoint-every"), help: "Write the checkpoint and model every N iterations.") var checkpointEvery: Int = 100
    @Option(help: "Resume from this checkpoint.") var resume: String?
    @Option(help: "Worker threads for the convolutions (OMP_NUM_THREADS).") var threads: Int?
    @Flag(name: .customLong("validate"), help: "Do not train: score --model on --val-list (see above).") var validateOnly = false
    @Option(name: .customLong("val-list"), help: "Validation file names (with --validate).") var valList: String?
    @Option(help: "Model to validate (default: the embedded one).") var model: String?
    @Option(help: "Camera response of the validation renderings: srgb, sqrt, gamma:G, param:G,S.") var crf: String = "srgb"
    @Option(help: "Over-exposure of the validation renderings (stops).") var ev: Float = 2

    public init() {}

    public func validate() throws {
        if iterations < 0 || batch < 1 || checkpointEvery < 1 || side < 16 || side % 16 != 0 {
            throw ValidationError("iterations, batch and intervals must be positive; --side a multiple of 16")
        }
        if HDRTrainingData.Anchor(rawValue: anchor) == nil { throw ValidationError("--anchor must be q95 or mean") }
        if CameraResponse(string: crf) == nil { throw ValidationError("--crf must be srgb, sqrt, linear, gamma:G or param:G,S") }
        if validateOnly {
            if linear == nil || valList == nil { throw ValidationError("--validate needs --linear and --val-list") }
        } else {
            if out == nil { throw ValidationError("--out is required for training") }
            if linear == nil && hdrDir == nil { throw ValidationError("give --linear and/or --hdr-dir") }
        }
    }

    public func run() throws {
        if let threads { setenv("OMP_NUM_THREADS", "\(threads)", 1) }
        if validateOnly { try runValidation(); return }
        let config = HDRConfig(baseChannels: baseChannels)
        let data = try HDRTrainingData.load(linearDir: linear, excludeList: excludeList, hdrDir: hdrDir, anchor: HDRTrainingData.Anchor(rawValue: anchor)!)
        var options = HDRTrainerOptions()
        options.batch = batch; options.side = side; options.seed = seed; options.learningRate = learningRate
        let trainer = HDRTrainer(config: config, options: options, data: data)
        let outURL = URL(fileURLWithPath: out!), ckpt = URL(fileURLWithPath: out! + ".ckpt")
        try resumeIfAsked(trainer, from: resume, log: log)
        log("training hdr: \(data.sources.count) sources, \(trainer.net.parameterCount) generator parameters, "
            + "\(trainer.disc.parameterCount) discriminator parameters, batch \(batch) x \(side) px, seed \(seed), anchor \(anchor)")
        let start = Date()
        var avg: [String: Float] = [:]
        let names = ["log", "perc", "adv", "disc"]
        while trainer.iteration < iterations {
            let losses = trainer.step()
            for (k, v) in losses { avg[k] = (avg[k] ?? v) * 0.95 + v * 0.05 }
            let it = trainer.iteration
            if it % 10 == 0 || it == iterations {
                let fields = names.map { String(format: "%@ %.4f", $0, avg[$0] ?? 0) }.joined(separator: "  ")
                log(String(format: "iter %d/%d  %@  %.1f s", it, iterations, fields, Date().timeIntervalSince(start)))
            }
            if it % checkpointEvery == 0 || it == iterations {
                try trainer.saveCheckpoint(to: ckpt)
                try trainer.saveModel(to: outURL)
            }
        }
        try trainer.saveModel(to: outURL)
        log(String(format: "wrote %@ after %d iterations (%.0f s)", out!, trainer.iteration, Date().timeIntervalSince(start)))
    }

    func runValidation() throws {
        let crf = CameraResponse(string: crf)!
        let hdr = try model.map { try HDRModel(contentsOf: URL(fileURLWithPath: $0)) } ?? HDRModel.loadDefault()
        let photos = try LinearPhotos.files(in: linear!, names: try Splits.readList(path: valList!))
        let start = Date()
        let (scores, clipped) = try HDREvaluation.evaluate(
            photos: photos,
            methods: [("clipping", Baselines.clipping), ("harmonic fill", { Baselines.harmonicFill($0, mask: $1) }),
                      ("model", { hdr.logRatio($0, mask: $1) })],
            crf: crf, ev: ev, maskThreshold: hdr.config.maskThreshold, maxSide: hdr.config.maxSide, log: log)
        print(HDREvaluation.table(scores, ev: ev, clippedPixels: clipped, photos: photos.count), terminator: "")
        log(String(format: "validated in %.1f s (crf %@)", Date().timeIntervalSince(start), crf.description))
    }

    func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}
