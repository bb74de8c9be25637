import ArgumentParser
import Foundation

/// `lux info FILE...`: format, size, bit depth, channels, colour space, EXIF summary and file size,
/// read from headers only.
public struct InfoCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show format, size, bit depth, colour space and EXIF of image files (headers only)."
    )

    @Argument(help: "Image files or folders.")
    var files: [String]

    @Flag(help: "Print a JSON array (one object per file, stable keys) instead of text.")
    var json = false

    public init() {}

    public func run() throws {
        let paths = try BatchInputs.expand(files)
        let summaries = try paths.map(ImageSummary.make(path:))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summaries), as: UTF8.self))
        } else {
            print(summaries.map(\.text).joined(separator: "\n"))
        }
    }
}
