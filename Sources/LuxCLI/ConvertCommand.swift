import ArgumentParser
import Foundation
import LuxIO

extension ImageFormat: ExpressibleByArgument {
    /// Accepts extensions and names: jpg, jpeg, png, tif, tiff, exr, hdr.
    public init?(argument: String) {
        guard let f = ImageFormat.forOutput(path: "x." + argument.lowercased()) else { return nil }
        self = f
    }

    public static var allValueStrings: [String] { ["jpg", "png", "tif", "exr", "hdr"] }
}

/// `lux convert`: decode, route colour (``ColorRouting``), encode. Outputs are written atomically,
/// never over an input, never over an existing file without `--force`.
public struct ConvertCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert images between JPEG, PNG, TIFF, OpenEXR and Radiance HDR.",
        discussion: """
        lux convert IN OUT             one file; the format comes from OUT's extension
        lux convert IN... -o DIR       many files or folders into DIR (--format picks the type;
                                       default: each input's own format, RAW -> tif)
        lux convert IN... DIR          the same when DIR exists, ends in '/', or IN is a folder
        Colour: integer -> integer keeps pixels, ICC and EXIF; float/RAW -> 8/16-bit is encoded
        as sRGB with an sRGB profile; -> EXR/HDR/32-bit TIFF is linear Rec. 709.
        """
    )

    @Argument(help: "Input files or folders, then the output file or folder (unless -o is given).")
    var paths: [String]

    @Option(name: [.short, .customLong("output")], help: "Output folder; all positional arguments are then inputs.")
    var output: String?

    @Option(help: "Output format for folders: jpg, png, tif, exr or hdr.")
    var format: ImageFormat?


    @Option(help: "Bits per sample: 8 (JPEG, PNG, TIFF), 16 (PNG, TIFF, EXR half), 32 (TIFF float, EXR float). Default: the input's, where the format allows.")
    var bitDepth: Int?



    @Flag(help: "Print a JSON array describing each conversion on stdout.")
    var json = false

    @OptionGroup var write: WriteOptions

    public init() {}

    public func validate() throws {
        if let b = bitDepth, ![8, 16, 32].contains(b) { throw ValidationError("--bit-depth must be 8, 16 or 32, got \(b)") }
    }

    /// One line of `--json` output.
    public struct Result: Codable, Sendable {
        public var input: String
        public var output: String
        public var format: String
        public var bitDepth: Int
        public var width: Int
        public var height: Int
        public var colorRoute: String
        public var seconds: Double
    }

    public func run() throws {
        let plan = try ConvertPlan.make(arguments: paths, outputFolder: output, format: format)
        let policy = write.policy
        let inputs = plan.jobs.map(\.input)
        for job in plan.jobs { try policy.check(output: job.output, inputs: inputs) }
        // Bit-depth problems are usage errors: report them before any decoding.
        if let b = bitDepth {
            for f in Set(plan.jobs.map(\.format)) { try Self.checkBitDepth(b, for: f) }
        }

        try BatchRun.run(plan.jobs, single: plan.isSingle, noun: "files", json: json, label: { "\($0.input) -> \($0.output)" }) { job in
            [try convert(job, policy: policy)]
        }
    }

    func convert(_ job: ConvertPlan.Job, policy: OutputPolicy) throws -> Result {
        let start = Date()
        let file = try ImageIO.read(path: job.input, options: DecodeOptions(maxPixels: write.maxPixels))
        let depth = bitDepth ?? Self.defaultBitDepth(for: job.format, source: file.metadata)
        let (prepared, route) = try ColorRouting.prepare(file, for: job.format, bitDepth: depth)
        try policy.prepareFolder((job.output as NSString).deletingLastPathComponent)
        try ImageIO.write(prepared, to: job.output, format: job.format, options: EncodeOptions(quality: write.quality, bitDepth: depth))
        return Result(input: job.input, output: job.output, format: job.format.rawValue, bitDepth: depth,
                      width: file.image.width, height: file.image.height, colorRoute: route.rawValue,
                      seconds: Date().timeIntervalSince(start))
    }

    /// The bit depth used when `--bit-depth` is absent: the source's, limited to what `format` stores
    /// (JPEG 8; PNG 8/16; TIFF 8/16/32; EXR 16/32; HDR 32 (RGBE)).
    public static func defaultBitDepth(for format: ImageFormat, source: ImageMetadata) -> Int {
        switch format {
        case .jpeg: 8
        case .png: source.bitDepth > 8 || source.isFloat ? 16 : 8
        case .tiff: source.isFloat ? 32 : (source.bitDepth > 8 ? 16 : 8)
        case .exr: source.isFloat && source.bitDepth >= 32 ? 32 : 16
        case .hdr, .raw: 32
        }
    }

    /// Throws a usage error when `format` cannot store `bitDepth` bits per sample.
    static func checkBitDepth(_ bitDepth: Int, for format: ImageFormat) throws {
        let allowed: [Int] = switch format {
        case .jpeg: [8]
        case .png: [8, 16]
        case .tiff: [8, 16, 32]
        case .exr: [16, 32]
        case .hdr, .raw: [32]
        }
        if !allowed.contains(bitDepth) {
            throw CLIError.usage("--bit-depth \(bitDepth) is not possible for \(format.fileExtension) (allowed: \(allowed.map(String.init).joined(separator: ", ")))")
        }
    }
}
