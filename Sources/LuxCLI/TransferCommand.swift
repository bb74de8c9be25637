import ArgumentParser
import Foundation
import LuxColor
import LuxHistogram
import LuxImage
import LuxIO

/// `lux transfer IN --reference REF -o OUT`: grades a photo like another (Pitié's N-dimensional PDF
/// transfer, optionally regrained; or Reinhard's lαβ mean/std transfer).
public struct TransferCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "transfer",
        abstract: "Grade a photo like a reference photo (colour transfer).",
        discussion: """
        --method pitie (default): Pitié, Kokaram & Dahyot's N-dimensional PDF transfer: --iterations random \
        3-D rotations, each matching the 1-D distributions of the three projected axes (maps planned on up \
        to 1 M pixels with 4096-bin histograms, applied to every pixel). --regrain then restores the \
        original's gradient field (no grain, no banding) while keeping the new colours (Pitié 2005).

        --method reinhard: Reinhard et al. 2001, per-channel mean and standard deviation in lαβ.

        Colour: both photos are decoded as `lux enhance` does and the transfer runs on sRGB-encoded values \
        in [0, 1] (like the papers); the output is written with the sRGB curve and an sRGB ICC profile. \
        The format comes from OUT's extension (jpg, png, tif). Inputs are never overwritten.
        """
    )

    public enum Method: String, ExpressibleByArgument, CaseIterable, Sendable { case pitie, reinhard }

    @Argument(help: "The photo to grade.") var input: String
    @Option(help: "The photo whose colours to take.") var reference: String
    @Option(name: [.short, .customLong("output")], help: "Output file (.jpg, .png or .tif).") var output: String
    @Option(help: "pitie or reinhard.") var method: Method = .pitie
    @Option(help: "Pitié: rotations (iterations).") var iterations = 10
    @Flag(help: "Pitié: gradient-preserving regrain after the transfer.") var regrain = false
    @Option(help: "Seed of the rotations and the pixel subsample.") var seed: UInt64 = 0

    @OptionGroup var write: WriteOptions

    public init() {}

    public func validate() throws {
        guard (1...100).contains(iterations) else { throw ValidationError("--iterations must be 1-100, got \(iterations)") }
        if regrain && method == .reinhard { throw ValidationError("--regrain goes with --method pitie") }
    }

    /// The output format from the output name.
    func outputFormat() throws -> ImageFormat {
        guard let f = ImageFormat.forOutput(path: output), [.jpeg, .png, .tiff].contains(f) else {
            throw CLIError.usage("cannot tell the output format from '\(output)': name it .jpg, .png or .tif")
        }
        return f
    }

    public func run() throws {
        let format = try outputFormat()
        let policy = write.policy
        try policy.check(output: output, inputs: [input, reference])
        try policy.prepareFolder((output as NSString).deletingLastPathComponent)
        let source = try EnhancePipeline.load(input, maxPixels: write.maxPixels)
        let ref = try EnhancePipeline.load(reference, maxPixels: write.maxPixels)
        var result = Self.transferWorking(source.working, reference: ref.working, method: method, iterations: iterations,
                                          regrain: regrain, seed: seed)
        try EnhancePipeline.write(&result, source: source.metadata, to: output, format: format, quality: write.quality)
    }

    /// ``transfer(_:reference:method:iterations:regrain:seed:)`` for working-space images (what
    /// ``EnhancePipeline/load(_:maxPixels:)`` gives): sRGB-encoded in, working space out.
    public static func transferWorking(_ image: Image, reference: Image, method: Method, iterations: Int = 10,
                                       regrain: Bool = false, seed: UInt64 = 0) -> Image {
        ColorPipeline.toWorking(
            transfer(ColorPipeline.fromWorking(image, to: .sRGB), reference: ColorPipeline.fromWorking(reference, to: .sRGB),
                     method: method, iterations: iterations, regrain: regrain, seed: seed),
            from: .sRGB)
    }

    /// The transfer on sRGB-encoded images; the result is sRGB-encoded, clipped to [0, 1].
    public static func transfer(_ image: Image, reference: Image, method: Method, iterations: Int = 10,
                                regrain: Bool = false, seed: UInt64 = 0) -> Image {
        let target = ColorSamples(image: reference.rgb(), limit: 1 << 20, seed: seed ^ 0x5EED)
        let rgb = image.rgb()
        var out: Image
        switch method {
        case .reinhard:
            out = ReinhardTransfer.transfer(rgb, to: target)
        case .pitie:
            out = PDFTransfer.transfer(rgb, to: target, options: PDFTransfer.Options(iterations: iterations, seed: seed))
            if regrain { out = Regrain.apply(original: rgb, transferred: out) }
        }
        out = out.clamped(to: 0...1)
        out.colorSpace = .sRGB
        return out
    }
}
