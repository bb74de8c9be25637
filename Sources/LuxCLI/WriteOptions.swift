import ArgumentParser
import LuxIO

/// The options every command that decodes photos and writes images shares, declared and checked once:
/// JPEG quality, overwriting existing outputs (never inputs), and the decompression-bomb guard.
/// Commands take them with `@OptionGroup var write: WriteOptions`.
public struct WriteOptions: ParsableArguments, Sendable {
    @Option(help: "JPEG quality, 1-100.")
    public var quality = 92

    @Flag(help: "Overwrite existing output files (inputs are never overwritten).")
    public var force = false

    @Option(help: "Refuse images with more pixels than this (decompression-bomb guard).")
    public var maxPixels = DecodeOptions.defaultMaxPixels

    public init() {}

    public func validate() throws {
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be 1-100, got \(quality)") }
        guard maxPixels > 0 else { throw ValidationError("--max-pixels must be positive") }
    }

    /// The output rules these options ask for.
    public var policy: OutputPolicy { OutputPolicy(force: force) }
}
