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
        // Every readable file is reported; each unreadable one is one error line, and the exit code is 1.
        var summaries: [ImageSummary] = []
        var failures = 0
        for path in paths {
            do { summaries.append(try ImageSummary.make(path: path)) } catch {
                failures += 1
                LuxMain.printError(LuxMain.classify(error).message)
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summaries), as: UTF8.self))
        } else {
            if !summaries.isEmpty { print(summaries.map(\.text).joined(separator: "\n")) }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
