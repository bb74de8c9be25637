import ArgumentParser
import Foundation
import LuxColor
import LuxCorrect
import LuxImage
import LuxIO

/// `lux correct`: multi-scale exposure correction (Afifi et al. 2021) of over- and under-exposed photos.
public struct CorrectCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Correct over- and under-exposed photos (multi-scale Laplacian-pyramid network).",
        discussion: """
        lux correct IN... [-o DIR]     each photo -> DIR/<name>.correct.jpg (default DIR: ./lux-out);
                                       folders are expanded (not recursive); inputs are never overwritten
        The network runs on the sRGB-encoded photo at most --max-side px (larger photos are box-downscaled;
        the correction is carried to full resolution by a guided filter fitted on the low-resolution pair).
        --scales s1,s2,s3,s4: multiply the input's Laplacian-pyramid levels (finest first) before the network.
        --fusion: Mertens fusion of input and result. --hist-adjust: 1 %/99 % histogram stretch of the result.
        """
    )

    @Argument(help: "Input photos or folders.")
    var inputs: [String]
    @Option(name: [.short, .customLong("output")], help: "Output folder.")
    var output = "lux-out"
    @Option(parsing: .unconditional, help: "Pyramid level scales, finest first, e.g. 1.5,1.5,1.5,1.05.")
    var scales: String?
    @Flag(help: "Fuse input and result (Mertens exposure fusion).")
    var fusion = false
    @Flag(name: .customLong("hist-adjust"), help: "Stretch the result's histogram (1 % / 99 %).")
    var histAdjust = false
    @Option(name: .customLong("max-side"), help: "Longest side the network runs at (32-2048).")
    var maxSide = 512
    @Option(help: "Model (safetensors from `lux train correct`); default: the embedded model.")
    var model: String?
    @Option(help: "Output format: jpg, png or tif.")
    var format: ImageFormat = .jpeg
    @Flag(help: "Print a JSON array (one entry per photo: output, size, timings) on stdout.")
    var json = false

    @OptionGroup var write: WriteOptions

    public init() {}

    /// Parses `1.5,1.5,1.5,1.05`.
    public static func parseScales(_ text: String) throws -> [Float] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map {
            guard let v = Float($0.trimmingCharacters(in: .whitespaces)), v.isFinite, (0...10).contains(v) else {
                throw ValidationError("--scales: '\($0)' is not a number in 0...10")
            }
            return v
        }
    }

    public func validate() throws {
        guard [.jpeg, .png, .tiff].contains(format) else { throw ValidationError("--format must be jpg, png or tif") }
        guard (32...2048).contains(maxSide) else { throw ValidationError("--max-side must be 32-2048, got \(maxSide)") }
        if let s = scales, try Self.parseScales(s).count != 4 { throw ValidationError("--scales needs 4 values (finest level first)") }
    }

    /// What `--json` prints for one photo.
    public struct Result: Encodable {
        public var input: String
        public var output: String
        public var width: Int
        public var height: Int
        public var seconds: EnhancePipeline.Timings
    }

    var options: CorrectOptions {
        CorrectOptions(scales: try? scales.map(Self.parseScales), fusion: fusion, histogramAdjust: histAdjust, maxSide: maxSide)
    }

    /// Expands the inputs and plans every output; fails before any decoding on a conflict.
    func plan() throws -> [(input: String, output: String)] {
        let files = try BatchInputs.expand(inputs)
        let policy = write.policy
        var seen = Set<String>()
        return try files.map { file in
            let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            let out = (output as NSString).appendingPathComponent(stem + ".correct." + format.fileExtension)
            try policy.check(output: out, inputs: files)
            if !seen.insert(OutputPolicy.resolvedPath(out)).inserted { throw CLIError.duplicateOutput(path: out) }
            return (file, out)
        }
    }

    public func run() throws {
        let jobs = try plan()
        let corrector = try model.map { try ExposureCorrector(contentsOf: URL(fileURLWithPath: $0)) } ?? ExposureCorrector.loadDefault()
        try run(jobs, corrector: corrector)
    }

    func run(_ jobs: [(input: String, output: String)], corrector: ExposureCorrector) throws {
        try write.policy.prepareFolder(output)
        let opts = options
        try BatchRun.run(jobs, single: jobs.count == 1, noun: "photos", json: json, label: { $0.input }) { job in
            var (image, t, meta) = try Self.process(job.input, corrector: corrector, options: opts, maxPixels: write.maxPixels)
            t.encode = try EnhancePipeline.write(&image, source: meta, to: job.output, format: format, quality: write.quality)
            if !json { print(job.output) }
            return [Result(input: job.input, output: job.output, width: image.width, height: image.height, seconds: t)]
        }
    }

    /// Load, bring to sRGB-encoded values, correct: the per-photo path shared with `lux-bench correct`.
    /// sRGB files (no profile, or the sRGB profile) are used as decoded; anything else goes through the
    /// working space (its own profile or curve) and the sRGB curve. The image comes back sRGB-encoded
    /// (`colorSpace == .sRGB`); `enhance` in the timings is the correction.
    public static func process(_ path: String, corrector: ExposureCorrector, options: CorrectOptions,
                               maxPixels: Int = DecodeOptions.defaultMaxPixels) throws -> (Image, EnhancePipeline.Timings, ImageMetadata) {
        var t = EnhancePipeline.Timings()
        var start = EnhancePipeline.now()
        var file = try ImageIO.read(path: path, options: DecodeOptions(maxPixels: maxPixels))
        t.decode = EnhancePipeline.now() - start
        start = EnhancePipeline.now()
        var image = EnhancePipeline.rgb(file.image)
        let metadata = file.metadata
        file.image = Image(width: 1, height: 1)
        let icc = metadata.iccProfile.flatMap { $0.isEmpty ? nil : $0 }
        if !(image.colorSpace == .sRGB && (icc == nil || icc == ColorPipeline.iccProfile(for: .sRGB))) {
            image = try ColorPipeline.toWorking(image, iccProfile: icc)
            PlanarConversion(output: TransferCurves.fastEncoder(ColorSpace.sRGB.transfer)).run(&image)
            image.colorSpace = .sRGB
        }
        t.linearize = EnhancePipeline.now() - start
        start = EnhancePipeline.now()
        var out = try corrector.correct(image, options: options)
        out.colorSpace = .sRGB
        t.enhance = EnhancePipeline.now() - start
        return (out, t, metadata)
    }
}
