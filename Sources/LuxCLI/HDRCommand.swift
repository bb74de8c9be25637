import ArgumentParser
import Foundation
import LuxHDR
import LuxImage
import LuxIO

/// `lux hdr`: writes each photo's reconstructed radiance map (OpenEXR or Radiance HDR), or a tone-mapped
/// rendering of it (`--tonemap`).
public struct HDRCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "hdr",
        abstract: "Reconstruct a photo's radiance map (clipped highlights hallucinated); write it as EXR/HDR or tone-mapped.",
        discussion: """
        lux hdr IN -o OUT.exr          linear Rec. 709 radiance, normalised so ~95 % of the pixels lie in [0, 1]
        lux hdr IN -o OUT.hdr          the same as Radiance RGBE
        lux hdr IN --tonemap filmic -o OUT.jpg    a display rendering of the radiance map (reinhard or filmic)
        lux hdr A.jpg B.jpg -o DIR/    DIR/<name>.exr (--format exr|hdr, or jpg/png/tif with --tonemap)
        """
    )

    @Argument(help: "Input photos or folders.") var inputs: [String]
    @Option(name: [.short, .customLong("output")], help: "Output file (one photo) or folder.") var output: String?
    @Option(help: "Camera response of the inputs: file, srgb, sqrt, linear, gamma:G, param:G,S.") var crf = "file"
    @Option(help: "Write a tone-mapped display rendering (reinhard or filmic) instead of the radiance map.") var tonemap: ToneMap?
    @Option(help: "Hallucination model (safetensors from `lux train hdr`); default: the embedded model.") var model: String?
    @Option(help: "Output format for folder outputs: exr or hdr (jpg, png, tif with --tonemap).") var format: ImageFormat?
    @Flag(help: "Print a JSON array (one entry per photo) on stdout.") var json = false

    @OptionGroup var write: WriteOptions

    public init() {}

    public func run() throws {
        let files = try BatchInputs.expand(inputs)
        let out = output ?? "lux-out"
        let folder = output == nil || files.count > 1 || HDRPipeline.isFolder(out)
        guard let fmt = folder ? (format ?? (tonemap == nil ? .exr : .jpeg)) : ImageFormat.forOutput(path: out) else {
            throw CLIError.usage("\(out): unknown output format (use .jpg, .png, .tif, .exr or .hdr)")
        }
        if tonemap == nil && !HDRPipeline.isFloat(fmt) {
            throw CLIError.usage("lux hdr writes .exr or .hdr (or give --tonemap for a display format), got \(fmt.fileExtension)")
        }
        if tonemap != nil && (HDRPipeline.isFloat(fmt) || fmt == .raw) {
            throw CLIError.usage("--tonemap writes jpg, png or tif, got \(fmt.fileExtension)")
        }
        let crfChoice = try HDRPipeline.parseCRF(crf)
        let policy = write.policy
        var seen = Set<String>()
        let jobs = try files.map { f -> (String, String) in
            let p = HDRPipeline.outputPath(output: out, input: f, suffix: "", format: fmt, folder: folder, multi: false)
            try policy.check(output: p, inputs: files)
            if !seen.insert(OutputPolicy.resolvedPath(p)).inserted { throw CLIError.duplicateOutput(path: p) }
            return (f, p)
        }
        let hdr = try HDRPipeline.loadModel(model)
        for folder in Set(jobs.map { ($0.1 as NSString).deletingLastPathComponent }) where !folder.isEmpty { try policy.prepareFolder(folder) }
        try BatchRun.run(jobs, single: jobs.count == 1, noun: "photos", json: json, label: \.0) { input, path in
            let start = EnhancePipeline.now()
            let src = try HDRPipeline.load(input, crf: crfChoice, maxPixels: write.maxPixels)
            let map = hdr.reconstruct(linear: src.linear, crf: src.crf)
            try HDRPipeline.write(tonemap.map { $0.apply(map.image) } ?? map.image, source: src.metadata, to: path, format: fmt, quality: write.quality)
            if !json { print("\(path): radiance map, gain \(String(format: "%.3g", map.gain))") }
            let clipped = Double(map.mask.filter { $0 > 0 }.count) / Double(max(1, map.mask.count))
            return [HDRPipeline.Result(input: input, outputs: [path], ev: [0], clippedFraction: clipped, gain: map.gain,
                                       seconds: EnhancePipeline.now() - start)]
        }
    }
}
