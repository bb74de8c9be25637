import Foundation
import LuxIO

/// Rules for writing outputs: never overwrite an input, refuse existing outputs unless forced,
/// create the output folder when missing. The write itself is atomic (``ImageIO/write``).
public struct OutputPolicy: Sendable {
    /// Overwrite existing outputs (never inputs).
    public var force: Bool

    public init(force: Bool) { self.force = force }

    /// Throws unless `output` may be written: it must not be any of `inputs` (same resolved real path,
    /// or same device and inode, so symlinks and hard links are caught too), and must not exist unless `force`.
    public func check(output: String, inputs: [String]) throws {
        let outReal = Self.resolvedPath(output)
        let outID = Self.fileID(output)
        for input in inputs {
            if Self.resolvedPath(input) == outReal || (outID != nil && Self.fileID(input) == outID) {
                throw CLIError.outputIsInput(output: output, input: input)
            }
        }
        // Fail before any decoding when the folder can never be created (a path component is a file).
        let folder = (output as NSString).deletingLastPathComponent
        if !folder.isEmpty, let reason = Self.reason(for: folder) {
            throw CLIError.cannotCreateDirectory(path: folder, detail: reason)
        }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDir) {
            if isDir.boolValue { throw CLIError.outputExists(path: output + " (a folder)") }
            if !force { throw CLIError.outputExists(path: output) }
        }
    }

    /// Creates `folder` (and its parents) if missing; throws a one-line error if that is impossible.
    public func prepareFolder(_ folder: String) throws {
        let dir = folder.isEmpty ? "." : folder
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
            if isDir.boolValue { return }
            throw CLIError.cannotCreateDirectory(path: dir, detail: "a file with that name exists")
        }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            let reason = (error as NSError).userInfo[NSUnderlyingErrorKey].map { "\($0)" }
            throw CLIError.cannotCreateDirectory(path: dir, detail: Self.reason(for: dir) ?? reason ?? "\(error.localizedDescription)")
        }
    }

    /// The absolute path with symlinks resolved; for a path that does not exist yet, its deepest
    /// existing ancestor is resolved and the rest appended.
    public static func resolvedPath(_ path: String) -> String {
        let absolute = (path as NSString).isAbsolutePath ? path
            : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        var head = (absolute as NSString).standardizingPath
        var tail: [String] = []
        while true {
            if let real = realpath(head, nil) {
                defer { free(real) }
                let base = String(cString: real)
                return tail.reversed().reduce(base) { ($0 as NSString).appendingPathComponent($1) }
            }
            let parent = (head as NSString).deletingLastPathComponent
            if parent == head || parent.isEmpty { return absolute }
            tail.append((head as NSString).lastPathComponent)
            head = parent
        }
    }

    /// Device and inode of an existing file, nil if it does not exist.
    static func fileID(_ path: String) -> [UInt64]? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return [UInt64(st.st_dev), UInt64(st.st_ino)]
    }

    /// Why `dir` cannot be created: its deepest existing ancestor is a regular file (ENOTDIR), or nil.
    static func reason(for dir: String) -> String? {
        var current = dir
        while true {
            var st = stat()
            if stat(current, &st) == 0 {
                return (st.st_mode & S_IFMT) == S_IFDIR ? nil : "\(current) is not a folder"
            }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current || parent.isEmpty { return nil }
            current = parent
        }
    }
}
