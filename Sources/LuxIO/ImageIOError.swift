/// Errors from reading and writing image files. `description` is one clear line for the CLI.
public enum ImageIOError: Error, Sendable, Equatable, CustomStringConvertible {
    case fileNotFound(path: String)
    case emptyFile(path: String)
    case unsupportedFormat(path: String, detail: String)
    case truncated(path: String, detail: String)
    case corrupt(path: String, detail: String)
    /// The header claims more pixels than the configured limit (decompression-bomb guard);
    /// raised before any pixel buffer is allocated.
    case tooLarge(path: String, width: Int, height: Int, limit: Int)
    case cannotWrite(path: String, detail: String)
    case unsupportedEncoding(format: ImageFormat, detail: String)

    public var description: String {
        switch self {
        case .fileNotFound(let p): "\(p): no such file"
        case .emptyFile(let p): "\(p): file is empty (0 bytes)"
        case .unsupportedFormat(let p, let d): "\(p): unsupported format (\(d))"
        case .truncated(let p, let d): "\(p): file is truncated (\(d))"
        case .corrupt(let p, let d): "\(p): corrupt image data (\(d))"
        case .tooLarge(let p, let w, let h, let limit):
            "\(p): \(w)x\(h) = \(w * h) pixels exceeds the limit of \(limit) pixels (raise it with --max-pixels)"
        case .cannotWrite(let p, let d): "\(p): cannot write (\(d))"
        case .unsupportedEncoding(let f, let d): "cannot encode \(f.rawValue): \(d)"
        }
    }
}
