import Foundation

/// Progress of a batch, written to stderr: a redrawn bar when stderr is a terminal (`isatty(2)`),
/// otherwise one plain line per item (so logs and CI output stay readable).
public final class Progress {
    public let total: Int
    public private(set) var done = 0
    let isTTY: Bool
    let quiet: Bool
    /// Width of the bar in characters.
    static let barWidth = 30

    /// `quiet` suppresses all output (used for single-file runs and `--json`).
    public init(total: Int, quiet: Bool = false, isTTY: Bool = isatty(2) != 0) {
        self.total = total
        self.quiet = quiet
        self.isTTY = isTTY
    }

    /// Reports that one more item finished; `label` names it (e.g. "in.jpg -> out/in.png").
    public func step(_ label: String) {
        done += 1
        guard !quiet else { return }
        FileHandle.standardError.write(Data(line(label).utf8))
        if isTTY && done == total { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// The text written for the current step: `\r[#####-----] 3/10 label` on a TTY, `[3/10] label\n` otherwise.
    func line(_ label: String) -> String {
        if !isTTY { return "[\(done)/\(total)] \(label)\n" }
        let filled = total > 0 ? done * Self.barWidth / total : Self.barWidth
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: Self.barWidth - filled)
        let short = label.count > 50 ? "..." + label.suffix(47) : label
        // \u{1B}[K clears the rest of the line left over from a longer previous label.
        return "\r[\(bar)] \(done)/\(total) \(short)\u{1B}[K"
    }
}
