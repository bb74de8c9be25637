import ArgumentParser
import Foundation
import LuxIO

/// Errors raised by the `lux` command itself (as opposed to the codecs). `description` is one line.
public enum CLIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The output path names one of the input files (compared by resolved real path and inode).
    case outputIsInput(output: String, input: String)
    /// The output exists and `--force` was not given.
    case outputExists(path: String)
    /// The output folder could not be created (e.g. a path component is a regular file).
    case cannotCreateDirectory(path: String, detail: String)
    /// Two inputs of a batch would be written to the same output file.
    case duplicateOutput(path: String)
    /// An input argument names nothing, or a folder with no image files in it.
    case noInputs(path: String)
    /// The arguments do not make sense together (a usage error: exit code 2).
    case usage(String)

    public var description: String {
        switch self {
        case .outputIsInput(let o, let i): "\(o): refusing to overwrite the input file \(i)"
        case .outputExists(let p): "\(p): output exists (use --force to overwrite)"
        case .cannotCreateDirectory(let p, let d): "\(p): cannot create output folder (\(d))"
        case .duplicateOutput(let p): "\(p): several inputs would be written to this same output"
        case .noInputs(let p): "\(p): no image files found"
        case .usage(let m): m
        }
    }

    /// Whether this is a usage error (exit code 2) rather than an input error (exit code 1).
    public var isUsage: Bool {
        if case .usage = self { return true }
        return false
    }
}

/// Runs `lux` with command-line arguments and turns every failure into one line on stderr.
///
/// Exit codes: 0 success (including `--help`), 1 input/output errors (unreadable, corrupt or
/// refused files), 2 usage errors (bad or conflicting options). Nothing is ever printed as a
/// stack trace; multi-line messages are joined into one line.
public enum LuxMain {
    /// Parses and runs `arguments` (without the program name); returns the process exit code.
    public static func run(_ arguments: [String]) -> Int32 {
        do {
            var command = try LuxCommand.parseAsRoot(arguments)
            try command.run()
            return 0
        } catch {
            return report(error)
        }
    }

    /// Prints `error` as one `lux: error: ...` line (or help text for help requests) and returns the exit code.
    public static func report(_ error: any Error) -> Int32 {
        let (message, code) = classify(error)
        if code == 0 {
            if !message.isEmpty { print(message) }
            return 0
        }
        // An `ExitCode` carries no message: whatever failed has already printed its own line.
        if !message.isEmpty { printError(message) }
        return code
    }

    /// The one-line message and exit code for `error`.
    public static func classify(_ error: any Error) -> (message: String, code: Int32) {
        switch error {
        case let e as ImageIOError:
            return (e.description, 1)
        case let e as CLIError:
            return (e.description, e.isUsage ? 2 : 1)
        case let e as ExitCode:
            return ("", e.rawValue)
        default:
            let exit = LuxCommand.exitCode(for: error)
            if exit == .success {
                return (LuxCommand.fullMessage(for: error), 0)
            }
            let text = oneLine(LuxCommand.message(for: error))
            if exit == .validationFailure {
                return (text + " (see 'lux --help')", 2)
            }
            return (text.isEmpty ? String(describing: error) : text, 1)
        }
    }

    /// Writes `lux: error: MESSAGE` to stderr.
    public static func printError(_ message: String) {
        FileHandle.standardError.write(Data("lux: error: \(oneLine(message))\n".utf8))
    }

    /// Collapses a multi-line message into one line and removes ArgumentParser's "Error: " prefix.
    static func oneLine(_ text: String) -> String {
        var s = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
        if s.hasPrefix("Error: ") { s.removeFirst(7) }
        return s
    }
}
