import Foundation

/// The safetensors file format (Hugging Face):
/// `[u64 little-endian header length N][N bytes JSON header][raw little-endian tensor data]`.
/// The header maps each tensor name to `{"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}`
/// (byte offsets into the data section) plus an optional `"__metadata__"` string→string map.
/// The header is padded with spaces so the data section starts 8-byte aligned.
///
/// Written dtypes: F32 (exact) and F16 (half the size, for shipping; ~3 significant digits,
/// range ±65504). Read dtypes: F32, F16, BF16, all converted to Float.
public enum SafeTensors {
    public enum DType: String, Sendable, CaseIterable {
        case f32 = "F32", f16 = "F16", bf16 = "BF16"
        var byteSize: Int { self == .f32 ? 4 : 2 }
    }

    /// A decoded file: tensors in file (offset) order, their stored dtypes, and metadata.
    public struct File {
        public var tensors: [(name: String, tensor: Tensor)]
        public var dtypes: [String: DType]
        public var metadata: [String: String]
        public subscript(name: String) -> Tensor? { tensors.first { $0.name == name }?.tensor }
        public var dictionary: [String: Tensor] { Dictionary(tensors.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a }) }
    }

    // MARK: Writing

    /// Encodes tensors (in the given order) as a safetensors byte buffer.
    public static func encode(_ tensors: [(String, Tensor)], dtype: DType = .f32,
                              metadata: [String: String] = [:]) throws -> Data {
        guard dtype != .bf16 else { throw TensorError.unsupportedDType(name: "(write)", dtype: "BF16") }
        var seen = Set<String>()
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for (name, t) in tensors {
            guard name != "__metadata__", seen.insert(name).inserted else {
                throw TensorError.malformedFile("duplicate or reserved tensor name '\(name)'")
            }
            let end = offset + t.count * dtype.byteSize
            let shape = t.shape.map(String.init).joined(separator: ",")
            entries.append("\(jsonString(name)):{\"dtype\":\"\(dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var out = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for (_, t) in tensors {
            switch dtype {
            case .f32:
                let words = t.data.map { $0.bitPattern.littleEndian }
                words.withUnsafeBytes { out.append(contentsOf: $0) }
            case .f16:
                let halves = t.data.map { Float16($0).bitPattern.littleEndian }
                halves.withUnsafeBytes { out.append(contentsOf: $0) }
            case .bf16:
                break
            }
        }
        return out
    }

    /// Writes tensors to `url` atomically (temporary file, then rename).
    public static func write(_ tensors: [(String, Tensor)], to url: URL, dtype: DType = .f32,
                             metadata: [String: String] = [:]) throws {
        let data = try encode(tensors, dtype: dtype, metadata: metadata)
        do { try data.write(to: url, options: .atomic) } catch {
            throw TensorError.io("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    // MARK: Reading

    /// Reads and decodes the file at `url`.
    public static func read(from url: URL) throws -> File {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TensorError.io("cannot read \(url.path): \(error.localizedDescription)")
        }
        return try decode(data)
    }

    /// Decodes a safetensors byte buffer, validating header, dtypes, shapes and offsets.
    public static func decode(_ data: Data) throws -> File {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw TensorError.malformedFile("shorter than the 8-byte header length") }
        let n = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard n <= UInt64(bytes.count - 8) else {
            throw TensorError.malformedFile("header length \(n) exceeds file size \(bytes.count)")
        }
        let headerEnd = 8 + Int(n)
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])) } catch {
            throw TensorError.malformedFile("header is not valid JSON")
        }
        guard let header = json as? [String: Any] else { throw TensorError.malformedFile("header is not a JSON object") }
        var metadata: [String: String] = [:]
        if let meta = header["__metadata__"] {
            guard let m = meta as? [String: String] else { throw TensorError.malformedFile("__metadata__ must map strings to strings") }
            metadata = m
        }
        let dataSize = bytes.count - headerEnd
        var entries: [(name: String, dtype: DType, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any], let dt = info["dtype"] as? String,
                  let shape = (info["shape"] as? [NSNumber])?.map(\.intValue),
                  let offs = (info["data_offsets"] as? [NSNumber])?.map(\.intValue), offs.count == 2 else {
                throw TensorError.malformedFile("entry '\(name)' lacks dtype, shape or data_offsets")
            }
            guard let dtype = DType(rawValue: dt) else { throw TensorError.unsupportedDType(name: name, dtype: dt) }
            guard shape.allSatisfy({ $0 >= 0 }), offs[0] >= 0, offs[0] <= offs[1], offs[1] <= dataSize else {
                throw TensorError.malformedFile("tensor '\(name)' has offsets \(offs) outside the data section (\(dataSize) bytes)")
            }
            guard offs[1] - offs[0] == shape.reduce(1, *) * dtype.byteSize else {
                throw TensorError.malformedFile("tensor '\(name)' byte range \(offs) does not fit shape \(shape) of \(dt)")
            }
            entries.append((name, dtype, shape, offs[0], offs[1]))
        }
        entries.sort { ($0.begin, $0.name) < ($1.begin, $1.name) }
        var file = File(tensors: [], dtypes: [:], metadata: metadata)
        bytes.withUnsafeBufferPointer { buf in
            for e in entries {
                let count = e.shape.reduce(1, *)
                let base = headerEnd + e.begin
                let values: [Float] = (0..<count).map { i in
                    switch e.dtype {
                    case .f32:
                        let p = base + 4 * i
                        let w = UInt32(buf[p]) | UInt32(buf[p + 1]) << 8 | UInt32(buf[p + 2]) << 16 | UInt32(buf[p + 3]) << 24
                        return Float(bitPattern: w)
                    case .f16:
                        let p = base + 2 * i
                        return Float(Float16(bitPattern: UInt16(buf[p]) | UInt16(buf[p + 1]) << 8))
                    case .bf16:
                        let p = base + 2 * i
                        return Float(bitPattern: (UInt32(buf[p]) | UInt32(buf[p + 1]) << 8) << 16)
                    }
                }
                file.tensors.append((e.name, Tensor(shape: e.shape, data: values, name: e.name)))
                file.dtypes[e.name] = e.dtype
            }
        }
        return file
    }

    /// A JSON string literal with `"`, `\` and control characters escaped.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}

extension Module {
    /// Saves all named parameters to a safetensors file (F32 by default; F16 for shipping).
    public func save(to url: URL, dtype: SafeTensors.DType = .f32, metadata: [String: String] = [:]) throws {
        try SafeTensors.write(namedParameters(), to: url, dtype: dtype, metadata: metadata)
    }

    /// Loads parameters by name from a safetensors file, copying values in place.
    ///
    /// Shapes must match exactly. With `strict` (default), every parameter must be in the file and
    /// every tensor in the file must be a parameter. With `dtype` set, each stored tensor must have
    /// that dtype. Throws a one-line ``TensorError`` naming the first offending tensor; on error
    /// no parameter is modified.
    public func load(from url: URL, strict: Bool = true, dtype: SafeTensors.DType? = nil) throws {
        let file = try SafeTensors.read(from: url)
        let stored = file.dictionary
        let params = namedParameters()
        var updates: [(Tensor, [Float])] = []
        for (name, p) in params {
            guard let t = stored[name] else {
                if strict { throw TensorError.missingTensor(name) }
                continue
            }
            if let dtype, let found = file.dtypes[name], found != dtype {
                throw TensorError.dtypeMismatch(name: name, expected: dtype.rawValue, found: found.rawValue)
            }
            guard t.shape == p.shape else { throw TensorError.shapeMismatch(name: name, expected: p.shape, found: t.shape) }
            updates.append((p, t.data))
        }
        if strict {
            let names = Set(params.map(\.0))
            if let extra = file.tensors.first(where: { !names.contains($0.name) }) {
                throw TensorError.unexpectedTensor(extra.name)
            }
        }
        for (p, values) in updates { p.data = values }
    }
}

extension Optimizer {
    /// Saves the optimiser state (``Optimizer/stateTensors()``) as an F32 safetensors file, for
    /// training resume; `metadata` may carry e.g. the epoch.
    public func saveState(to url: URL, metadata: [String: String] = [:]) throws {
        try SafeTensors.write(stateTensors(), to: url, dtype: .f32, metadata: metadata)
    }

    /// Restores the optimiser state saved by ``saveState(to:metadata:)``; returns the file's metadata.
    @discardableResult
    public func loadState(from url: URL) throws -> [String: String] {
        let file = try SafeTensors.read(from: url)
        try loadState(file.dictionary)
        return file.metadata
    }
}

extension SafeTensors {
    /// The URL of the model `name.safetensors` shipped in a module's resources (`bundle`: that module's
    /// `Bundle.module`), whether SwiftPM kept the `Resources/` folder or flattened it; nil when absent.
    public static func bundledModel(_ name: String, in bundle: Bundle) -> URL? {
        bundle.url(forResource: name, withExtension: "safetensors", subdirectory: "Resources")
            ?? bundle.url(forResource: name, withExtension: "safetensors")
    }
}
