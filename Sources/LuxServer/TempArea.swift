import Foundation

/// The only disk state of a server: one folder of per-request files, bounded in bytes, emptied as
/// each request ends and removed at shutdown. Files are reserved before they are written, so the
/// bound holds while uploads stream in.
public final class TempArea: @unchecked Sendable {
    public let folder: String
    public let limitBytes: Int
    private let lock = NSLock()
    private var used = 0
    private var counter = 0

    public init(parent: String, limitBytes: Int) throws {
        folder = (parent as NSString).appendingPathComponent("lux-serve-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        self.limitBytes = limitBytes
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// Bytes reserved now.
    public var usedBytes: Int { lock.withLock { used } }

    /// A new file name in the area (not created).
    public func newPath(_ suffix: String) -> String {
        let n = lock.withLock { counter += 1; return counter }
        return (folder as NSString).appendingPathComponent("\(n).\(suffix)")
    }

    /// Reserves `bytes`; throws ``APIError/tempFull`` when the area would exceed its limit.
    public func reserve(_ bytes: Int) throws {
        try lock.withLock {
            guard used + bytes <= limitBytes else { throw APIError.tempFull }
            used += bytes
        }
    }

    public func release(_ bytes: Int) { lock.withLock { used -= bytes } }

    /// Removes the whole folder (shutdown).
    public func remove() { try? FileManager.default.removeItem(atPath: folder) }
}

/// The files one request wrote to the temp area, with their reserved bytes; ``discard()`` deletes them.
public final class RequestFiles: @unchecked Sendable {
    let area: TempArea
    private let lock = NSLock()
    private var paths: [String] = []
    private var reserved = 0

    init(area: TempArea) { self.area = area }

    /// A new path, reserving `bytes` for it.
    func newFile(_ suffix: String, reserving bytes: Int = 0) throws -> String {
        try reserve(bytes)
        let p = area.newPath(suffix)
        lock.withLock { paths.append(p) }
        return p
    }

    func reserve(_ bytes: Int) throws {
        guard bytes > 0 else { return }
        try area.reserve(bytes)
        lock.withLock { reserved += bytes }
    }

    /// Deletes every file and gives back the reservation. Safe to call twice.
    func discard() {
        let (ps, r) = lock.withLock { () -> ([String], Int) in
            defer { paths = []; reserved = 0 }
            return (paths, reserved)
        }
        for p in ps { unlink(p) }
        area.release(r)
    }
}
