import Foundation

/// Train / validation splits of the bundled data, shared by the trainers (to exclude) and `lux eval` (to use).
public enum Splits {
    /// Reads a list file such as `fivek-linear/VAL.txt`: one file name per line; blank lines and
    /// lines starting with `#` are ignored, surrounding whitespace trimmed.
    public static func readList(path: String) throws -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw DatasetError.unreadableList(path)
        }
        return parseList(text)
    }

    /// The names in a list file's text (see ``readList(path:)``).
    public static func parseList(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// The `sintel/` held-out split: every 5th pair by sorted file stem, starting with the first
    /// (indices 0, 5, 10, ... of the sorted stems; 15 of the 73 bundled pairs). Trainers must skip these.
    public static let sintelHeldOutStride = 5

    /// Whether the stem at `index` of the sorted stems is held out (``sintelHeldOutStride``).
    public static func isSintelHeldOut(index: Int) -> Bool { index % sintelHeldOutStride == 0 }

    /// The held-out stems among `stems` (sorted first; duplicates count once).
    public static func sintelHeldOut(_ stems: [String]) -> [String] {
        Array(Set(stems)).sorted().enumerated().filter { isSintelHeldOut(index: $0.offset) }.map(\.element)
    }

    /// The training stems among `stems`: all but ``sintelHeldOut(_:)``.
    public static func sintelTraining(_ stems: [String]) -> [String] {
        Array(Set(stems)).sorted().enumerated().filter { !isSintelHeldOut(index: $0.offset) }.map(\.element)
    }
}
