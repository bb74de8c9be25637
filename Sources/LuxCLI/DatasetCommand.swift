import ArgumentParser
import Foundation
import LuxColor
import LuxDatasets
import LuxImage
import LuxIO

/// `lux dataset`: render training and validation data from the bundled photographs.
public struct DatasetCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Render training / validation data from linear photos.",
        subcommands: [ExposureDatasetCommand.self]
    )
    public init() {}
}

/// `lux dataset exposure`: exposure-error pairs from `fivek-linear`-style linear 16-bit PNGs, via
/// ``ExposureRendering``: `OUT/inputs/<name>_<ev>.png` (scaled to mean luminance 0.18, times 2^ev,
/// clipped, sRGB, 8-bit) and `OUT/targets/<name>_<ev>.png` (the same at 0 EV). 8-bit sRGB PNG with an sRGB ICC profile.
public struct ExposureDatasetCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "exposure",
        abstract: "Write inputs/<name>_<ev>.png (exposure error) and targets/<name>_<ev>.png (well exposed)."
    )

    @Option(name: .long, help: "Folder of linear 16-bit PNGs (value/65535 = linear light).")
    var source: String
    @Option(name: .long, help: "List file of names to use (e.g. VAL.txt); default: every PNG in --source.")
    var list: String?
    @Option(name: .long, parsing: .unconditional, help: "Comma-separated exposure errors in EV, e.g. -1.5,-1,1,1.5.")
    var evs: String = "-1.5,-1,1,1.5"
    @Option(name: .customLong("tone-curve"), help: "Tone curve of the inputs: srgb, or camera (sRGB + mild S-curve, as `lux train correct` renders them). Targets always use srgb.")
    var toneCurve: String = "srgb"
    @Option(name: .shortAndLong, help: "Output folder.")
    var output: String
    @Flag(name: .long, help: "Overwrite existing output files.")
    var force = false

    public init() {}

    /// Parses `-1.5,-1,1,+1.5` into EVs; throws a usage error for anything else.
    public static func parseEVs(_ text: String) throws -> [Float] {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty else { throw CLIError.usage("--evs: give comma-separated numbers, e.g. -1.5,-1,1,1.5") }
        return try parts.map { p in
            guard let v = Float(p), v.isFinite, abs(v) <= 16 else {
                throw CLIError.usage("--evs: '\(p)' is not an exposure in EV (a number in -16...16)")
            }
            return v
        }
    }

    public func validate() throws {
        do { _ = try Self.parseEVs(evs) } catch let e as CLIError { throw ValidationError(e.description) }
        if ExposureRendering.ToneCurve(rawValue: toneCurve) == nil { throw ValidationError("--tone-curve must be srgb or camera") }
    }

    public func run() throws {
        let evList = try Self.parseEVs(evs)
        let names = try list.map { try Splits.readList(path: $0) }
        let files = try LinearPhotos.files(in: source, names: names)
        guard !files.isEmpty else { throw CLIError.noInputs(path: source) }
        let policy = OutputPolicy(force: force)
        let inDir = (output as NSString).appendingPathComponent("inputs")
        let tgDir = (output as NSString).appendingPathComponent("targets")
        try policy.prepareFolder(inDir)
        try policy.prepareFolder(tgDir)
        let meta = ImageMetadata(format: .png, bitDepth: 8, iccProfile: ColorPipeline.iccProfile(for: .sRGB))
        let progress = Progress(total: files.count * evList.count)
        for path in files {
            let linear = try LinearPhotos.load(path: path)
            let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            let base = ExposureRendering.normalized(linear)
            let target = ExposureRendering.render(base, ev: 0)
            for ev in evList {
                let name = "\(stem)_\(PairFolder.evLabel(ev)).png"
                let inPath = (inDir as NSString).appendingPathComponent(name)
                let tgPath = (tgDir as NSString).appendingPathComponent(name)
                try policy.check(output: inPath, inputs: [path])
                try policy.check(output: tgPath, inputs: [path])
                let input = ExposureRendering.render(base, ev: ev, curve: ExposureRendering.ToneCurve(rawValue: toneCurve) ?? .sRGB)
                try ImageIO.write(ImageFile(image: input, metadata: meta), to: inPath, format: .png, options: EncodeOptions(bitDepth: 8))
                try ImageIO.write(ImageFile(image: target, metadata: meta), to: tgPath, format: .png, options: EncodeOptions(bitDepth: 8))
                progress.step(name)
            }
        }
    }
}
