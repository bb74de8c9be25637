import Foundation
import LuxCLI
import LuxFilters
import LuxIO

/// What a request can fail with, as an HTTP status and one clear line. Every failure is answered with
/// `{"error": "...", "status": N}`; nothing is ever a stack trace or a dropped connection.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var message: String
    /// Seconds for a `Retry-After` header (429 and 503).
    public var retryAfter: Int?

    public init(_ status: Int, _ message: String, retryAfter: Int? = nil) {
        self.status = status; self.message = message; self.retryAfter = retryAfter
    }

    public var description: String { "\(status): \(message)" }

    public static func badRequest(_ m: String) -> APIError { APIError(400, m) }
    public static func tooLarge(limit: Int) -> APIError {
        APIError(413, "upload exceeds the limit of \(limit) bytes (--max-upload-mb)")
    }
    public static let queueFull = APIError(429, "server busy: the work queue is full, retry later", retryAfter: 1)
    public static func timeout(seconds: Double) -> APIError {
        APIError(504, "request took longer than the time limit of \(Int(seconds)) s")
    }
    public static let tempFull = APIError(503, "temporary storage is full, retry later", retryAfter: 2)

    /// Maps any error from the pipelines to a status and message. Codec errors name the upload
    /// (`part`) instead of the temp file they were read from.
    public static func from(_ error: any Error, uploads: [String: String] = [:]) -> APIError {
        func clean(_ text: String) -> String {
            uploads.reduce(text) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
        }
        switch error {
        case let e as APIError:
            return e
        case let e as ImageIOError:
            switch e {
            case .tooLarge: return APIError(422, clean(e.description.replacingOccurrences(of: "--max-pixels", with: "the server's --max-pixels")))
            case .emptyFile, .unsupportedFormat, .truncated, .corrupt, .fileNotFound: return APIError(400, clean(e.description))
            case .cannotWrite, .unsupportedEncoding: return APIError(500, clean(e.description))
            }
        case let e as FilterError:
            return APIError(400, "recipe: \(e.description)")
        case let e as CLIError:
            return APIError(400, clean(e.description))
        case let e as DecodingError:
            return APIError(400, "recipe: not valid recipe JSON (\(Self.describe(e)))")
        default:
            return APIError(500, clean(String(describing: error)))
        }
    }

    static func describe(_ e: DecodingError) -> String {
        switch e {
        case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
            return c.debugDescription
        @unknown default:
            return "\(e)"
        }
    }

    /// The JSON body.
    public var json: Data {
        struct Body: Encodable { var error: String; var status: Int }
        return (try? JSONEncoder().encode(Body(error: message, status: status))) ?? Data()
    }
}
