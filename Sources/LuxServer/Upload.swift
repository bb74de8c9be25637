import Foundation
import Hummingbird
import LuxCLI

/// A request's inputs after its body has been streamed to the temp area: image files by form field
/// (`image`, `reference`) and small text fields (`recipe`). A plain body is the field `image`.
struct Upload: Sendable {
    var files: [String: String] = [:]
    var fields: [String: String] = [:]

    /// The file of `name`; 400 when missing.
    func file(_ name: String) throws -> String {
        guard let f = files[name] else { throw APIError.badRequest("missing upload '\(name)' (send the image as the body, or a multipart form field '\(name)')") }
        return f
    }

    /// Temp paths mapped to the names used in error messages.
    var names: [String: String] { Dictionary(uniqueKeysWithValues: files.map { ($0.value, "upload '\($0.key)'") }) }

    /// Streams `request`'s body to disk, refusing more than `limit` bytes (413) as soon as the
    /// Content-Length header or the bytes received exceed it, and an upload still arriving after
    /// `seconds` (408; a client that stops sending is cut off by the server's idle timeout).
    /// Multipart forms are split into their parts.
    static func receive(_ request: Request, limit: Int, seconds: Double, files: RequestFiles) async throws -> Upload {
        let deadline = EnhancePipeline.now() + seconds
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError.tooLarge(limit: limit)
        }
        let type = request.headers[.contentType] ?? ""
        let path = try files.newFile("body", reserving: limit)
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw APIError(500, "cannot write the temp area")
        }
        var total = 0
        do {
            defer { try? handle.close() }
            for try await chunk in request.body {
                total += chunk.readableBytes
                if total > limit { throw APIError.tooLarge(limit: limit) }
                if EnhancePipeline.now() > deadline { throw APIError(408, "upload took longer than the time limit of \(Int(seconds)) s") }
                try handle.write(contentsOf: Data(chunk.readableBytesView))
            }
        }
        if total == 0 { throw APIError.badRequest("empty request body: send an image") }
        guard let boundary = Multipart.boundary(contentType: type) else {
            return Upload(files: ["image": path])
        }
        return try Multipart.split(path: path, boundary: boundary, files: files)
    }
}
