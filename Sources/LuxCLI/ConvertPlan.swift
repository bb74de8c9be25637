import Foundation
import LuxIO

/// Which file goes where, decided before any pixel is decoded.
///
/// Syntax (documented in `lux convert --help` and the README):
/// - `lux convert IN OUT`: one file; the format comes from OUT's extension (or `--format`).
/// - `lux convert IN... -o DIR`: every input (files, or folders expanded to their image files) is
///   written into DIR as `NAME.EXT`, EXT from `--format`, else the input's own format (RAW -> tif).
/// - `lux convert IN... DIR`: without `-o`, when there are several inputs, IN is a folder, or the last
///   argument is an existing folder or ends in `/`, the last argument is the output folder.
public struct ConvertPlan: Sendable, Equatable {
    public struct Job: Sendable, Equatable {
        public var input: String
        public var output: String
        public var format: ImageFormat
    }

    public var jobs: [Job]
    /// True when converting one named file to one named file (no progress bar, no folder naming).
    public var isSingle: Bool

    /// Builds the plan from the positional arguments, `-o` and `--format`. Throws usage errors for
    /// contradictions, ``CLIError/duplicateOutput(path:)`` when two inputs map to one output, and
    /// ``CLIError/outputIsInput(output:input:)`` when an output names an input.
    public static func make(arguments: [String], outputFolder: String?, format: ImageFormat?) throws -> ConvertPlan {
        var positionals = arguments
        var folder = outputFolder
        var singleOutput: String?
        if folder == nil {
            guard positionals.count >= 2 else {
                throw CLIError.usage("convert needs an input and an output: lux convert IN OUT, or lux convert IN... -o DIR")
            }
            let last = positionals.removeLast()
            var isDir: ObjCBool = false
            let lastIsDir = last.hasSuffix("/") || (FileManager.default.fileExists(atPath: last, isDirectory: &isDir) && isDir.boolValue)
            var firstIsDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: positionals[0], isDirectory: &firstIsDir)
            if positionals.count == 1 && !lastIsDir && !firstIsDir.boolValue {
                singleOutput = last
            } else {
                folder = last
            }
        }
        guard !positionals.isEmpty else { throw CLIError.usage("convert needs at least one input") }
        let inputs = try BatchInputs.expand(positionals)

        var jobs: [Job] = []
        if let out = singleOutput {
            let byName = ImageFormat.forOutput(path: out)
            if let format, let byName, format != byName {
                throw CLIError.usage("--format \(format.fileExtension) contradicts the output name \(out)")
            }
            guard let chosen = format ?? byName else {
                throw CLIError.usage("cannot tell the output format from '\(out)': name it .jpg, .png, .tif, .exr or .hdr, or pass --format")
            }
            jobs = [Job(input: inputs[0], output: out, format: chosen)]
        } else if let folder {
            for input in inputs {
                let chosen = format ?? defaultFormat(forInput: input)
                let stem = ((input as NSString).lastPathComponent as NSString).deletingPathExtension
                jobs.append(Job(input: input, output: (folder as NSString).appendingPathComponent("\(stem).\(chosen.fileExtension)"), format: chosen))
            }
        }
        var seen = Set<String>()
        for job in jobs {
            let real = OutputPolicy.resolvedPath(job.output)
            if !seen.insert(real).inserted { throw CLIError.duplicateOutput(path: job.output) }
        }
        return ConvertPlan(jobs: jobs, isSingle: singleOutput != nil)
    }

    /// The output format for a batch input without `--format`: its own format when Lux writes it,
    /// TIFF for camera RAW, PNG when the content is not recognised (reading it will then fail clearly).
    static func defaultFormat(forInput path: String) -> ImageFormat {
        guard let handle = FileHandle(forReadingAtPath: path) else { return .png }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 65536)) ?? Data()
        switch ImageIO.detectFormat(head) {
        case .raw: return .tiff
        case let f?: return f
        case nil: return .png
        }
    }
}
