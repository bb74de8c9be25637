import Foundation

/// A folder of image pairs: `inputs/` and `targets/` (or `outputs/`), matched by file stem
/// (`inputs/a_+1.png` pairs with `targets/a_+1.jpg`). Also built from two explicit folders.
public struct PairFolder: Sendable {
    /// One matched pair.
    public struct Pair: Sendable, Equatable {
        /// The file name without extension, shared by both files.
        public var stem: String
        public var input: String
        public var target: String
    }

    /// File extensions read as images (lower case).
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "jpe", "png", "tif", "tiff", "exr", "hdr", "bmp"]

    /// Pairs sorted by stem.
    public let pairs: [Pair]
    /// Stems present in only one of the two folders (sorted), for a warning.
    public let unmatched: [String]

    /// Pairs of `root/inputs` with `root/targets`, or `root/outputs` when there is no `targets/`.
    public init(root: String) throws {
        let inputs = (root as NSString).appendingPathComponent("inputs")
        var targets = (root as NSString).appendingPathComponent("targets")
        if !Self.isFolder(targets) {
            let outputs = (root as NSString).appendingPathComponent("outputs")
            if Self.isFolder(outputs) { targets = outputs }
        }
        try self.init(inputs: inputs, targets: targets)
    }

    /// Pairs of two folders matched by stem. Throws when a folder is missing or nothing matches.
    public init(inputs: String, targets: String) throws {
        let a = try Self.images(in: inputs), b = try Self.images(in: targets)
        var list: [Pair] = []
        for (stem, path) in a { if let t = b[stem] { list.append(Pair(stem: stem, input: path, target: t)) } }
        pairs = list.sorted { $0.stem < $1.stem }
        unmatched = Set(a.keys).symmetricDifference(b.keys).sorted()
        if pairs.isEmpty { throw DatasetError.noPairs(inputs) }
    }

    /// A copy keeping only the pairs whose stem is in `stems`.
    public func keeping(_ stems: [String]) -> PairFolder {
        let keep = Set(stems)
        return PairFolder(pairs: pairs.filter { keep.contains($0.stem) }, unmatched: unmatched)
    }

    init(pairs: [Pair], unmatched: [String]) { self.pairs = pairs; self.unmatched = unmatched }

    static func isFolder(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Image files of `folder` keyed by stem (hidden files skipped; the first name wins on a clash).
    static func images(in folder: String) throws -> [String: String] {
        guard isFolder(folder) else { throw DatasetError.missingFolder(folder) }
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where !name.hasPrefix(".") {
            let ext = (name as NSString).pathExtension.lowercased()
            guard imageExtensions.contains(ext) else { continue }
            let stem = (name as NSString).deletingPathExtension
            if out[stem] == nil { out[stem] = (folder as NSString).appendingPathComponent(name) }
        }
        return out
    }

    /// The exposure suffix of a stem written by `lux dataset exposure` (`0376_-1.5` -> -1.5, `a_+1` -> 1), or nil.
    public static func exposureEV(ofStem stem: String) -> Float? {
        guard let i = stem.lastIndex(of: "_") else { return nil }
        let tail = stem[stem.index(after: i)...]
        guard let first = tail.first, first == "+" || first == "-" || first.isNumber else { return nil }
        return Float(tail)
    }

    /// The file-name form of an EV: always signed, shortest decimal (`-1.5`, `+1`, `+0`).
    public static func evLabel(_ ev: Float) -> String {
        let s = ev == ev.rounded() ? String(Int(ev)) : String(ev)
        return ev < 0 ? s : "+" + s
    }
}
