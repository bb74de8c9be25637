import ArgumentParser
import Foundation
import LuxHDR
import LuxImage
import LuxIO

/// `lux reexpose`: reconstructs each photo's radiance map (clipped highlights hallucinated by the
/// network) and renders it at new exposures with a camera-like response.
public struct ReexposeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "reexpose",
        abstract: "Re-expose photos: reconstruct the radiance map (hallucinating clipped highlights), render at new EVs.",
        discussion: """
        lux reexpose IN --ev +1.5 -o OUT.jpg      one rendering; --ev -1 works as written
        lux reexpose IN --ev -2,0,+2 -o OUT.jpg   a bracket: OUT.ev-2.0.jpg, OUT.ev+0.0.jpg, OUT.ev+2.0.jpg
        lux reexpose A.jpg B.jpg --ev -1 -o DIR/  DIR/<name>.ev-1.0.jpg (default DIR: ./lux-out)
        The photo is linearised (--crf file: its own profile, the sRGB curve for 8/16-bit files; or an explicit
        inverse CRF), clipped regions get a soft mask, the network predicts their radiance at <= 512 px and
        only there the upsampled prediction is blended in; every other pixel keeps its full-resolution value.
        Renderings: f(clip(2^EV * H)) with the same response f (0 EV without clipping returns the input);
        EXR/HDR outputs get the linear re-exposed radiance (unclipped); --tonemap renders for display instead.
        """
    )

    @Argument(help: "Input photos or folders.") var inputs: [String]
    @Option(name: .customLong("ev"), parsing: .unconditionalSingleValue,
            help: "Exposure change in stops; repeat or give a comma list for a bracket (e.g. --ev -2,0,+2).")
    var ev: [String] = []
    @Option(name: [.short, .customLong("output")], help: "Output file (one photo) or folder.") var output: String?
    @Option(help: "Camera response of the inputs: file, srgb, sqrt, linear, gamma:G, param:G,S.") var crf = "file"
    @Option(help: "Tone-map the re-exposed radiance for display (reinhard or filmic) instead of the camera response.") var tonemap: ToneMap?
    @Option(help: "Hallucination model (safetensors from `lux train hdr`); default: the embedded model.") var model: String?
    @Option(help: "Output format for folder outputs: jpg, png, tif, exr or hdr.") var format: ImageFormat = .jpeg
    @Flag(help: "Print a JSON array (one entry per photo) on stdout.") var json = false

    @OptionGroup var write: WriteOptions

    public init() {}

    public func validate() throws {
        guard format != .raw else { throw ValidationError("--format must be jpg, png, tif, exr or hdr") }
        if ev.isEmpty { throw ValidationError("--ev is required (e.g. --ev +1.5, --ev -1, --ev -2,0,+2)") }
    }

    struct Job { var input: String; var outputs: [(ev: Float, path: String, format: ImageFormat)] }

    func plan() throws -> [Job] {
        let evs = try HDRPipeline.parseEVs(ev)
        let files = try BatchInputs.expand(inputs)
        let out = output ?? "lux-out"
        let folder = output == nil || files.count > 1 || HDRPipeline.isFolder(out)
        guard let fileFormat = folder ? format : ImageFormat.forOutput(path: out) else {
            throw CLIError.usage("\(out): unknown output format (use .jpg, .png, .tif, .exr or .hdr)")
        }
        let policy = write.policy
        var seen = Set<String>()
        return try files.map { file in
            let outs = try evs.map { e -> (Float, String, ImageFormat) in
                let p = HDRPipeline.outputPath(output: out, input: file, suffix: ".ev" + HDRPipeline.evLabel(e), format: fileFormat,
                                               folder: folder, multi: evs.count > 1)
                try policy.check(output: p, inputs: files)
                if !seen.insert(OutputPolicy.resolvedPath(p)).inserted { throw CLIError.duplicateOutput(path: p) }
                return (e, p, fileFormat)
            }
            return Job(input: file, outputs: outs)
        }
    }

    public func run() throws {
        let jobs = try plan()
        let crfChoice = try HDRPipeline.parseCRF(crf)
        let hdr = try HDRPipeline.loadModel(model)
        let policy = write.policy
        for folder in Set(jobs.flatMap { $0.outputs.map { ($0.path as NSString).deletingLastPathComponent } }) where !folder.isEmpty {
            try policy.prepareFolder(folder)
        }
        try BatchRun.run(jobs, single: jobs.count == 1, noun: "photos", json: json, label: \.input) { job in
            let start = EnhancePipeline.now()
            let src = try HDRPipeline.load(job.input, crf: crfChoice, maxPixels: write.maxPixels)
            let map = hdr.reconstruct(linear: src.linear, crf: src.crf)
            for o in job.outputs {
                let image = HDRPipeline.render(map, ev: o.ev, crf: src.crf, format: o.format, tonemap: tonemap)
                try HDRPipeline.write(image, source: src.metadata, to: o.path, format: o.format, quality: write.quality)
                if !json { print("\(o.path): \(HDRPipeline.evLabel(o.ev)) EV") }
            }
            let clipped = Double(map.mask.filter { $0 > 0 }.count) / Double(max(1, map.mask.count))
            return [HDRPipeline.Result(input: job.input, outputs: job.outputs.map(\.path), ev: job.outputs.map(\.ev),
                                       clippedFraction: clipped, gain: map.gain, seconds: EnhancePipeline.now() - start)]
        }
    }
}
