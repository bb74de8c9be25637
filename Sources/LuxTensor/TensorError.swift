/// Errors from tensor file I/O and state loading; `description` is one line naming the culprit.
public enum TensorError: Error, CustomStringConvertible, Equatable {
    case missingTensor(String)
    case unexpectedTensor(String)
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    case dtypeMismatch(name: String, expected: String, found: String)
    case unsupportedDType(name: String, dtype: String)
    case malformedFile(String)
    case io(String)

    public var description: String {
        switch self {
        case .missingTensor(let n): return "tensor '\(n)' is missing from the file"
        case .unexpectedTensor(let n): return "tensor '\(n)' in the file is not a parameter of the model"
        case .shapeMismatch(let n, let e, let f): return "tensor '\(n)' has shape \(f), expected \(e)"
        case .dtypeMismatch(let n, let e, let f): return "tensor '\(n)' has dtype \(f), expected \(e)"
        case .unsupportedDType(let n, let d): return "tensor '\(n)' has unsupported dtype \(d) (F32, F16, BF16 are read)"
        case .malformedFile(let m): return "malformed safetensors file: \(m)"
        case .io(let m): return "safetensors I/O error: \(m)"
        }
    }
}
