import Foundation

/// `multipart/form-data` bodies (RFC 7578), already on disk: each file part is copied to its own
/// temp file, each small text part kept as a string.
enum Multipart {
    /// The boundary of a `multipart/form-data` content type, nil for any other type.
    static func boundary(contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for param in contentType.split(separator: ";").dropFirst() {
            let kv = param.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == "boundary" {
                return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    /// Splits the form in `path` into parts. Text fields (no filename, under 1 MiB) become ``Upload/fields``.
    static func split(path: String, boundary: String, files: RequestFiles) throws -> Upload {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        let delimiter = Data("--\(boundary)".utf8)
        let crlf = Data("\r\n".utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        guard var cursor = data.range(of: delimiter)?.upperBound else {
            throw APIError.badRequest("multipart body has no boundary '\(boundary)'")
        }
        var upload = Upload()
        let next = Data("\r\n--\(boundary)".utf8)
        while true {
            // After a delimiter: "--" ends the form, else CRLF and the part's headers.
            if data[cursor...].starts(with: Data("--".utf8)) { break }
            guard data[cursor...].starts(with: crlf), let hEnd = data.range(of: headerEnd, in: cursor..<data.endIndex) else {
                throw APIError.badRequest("malformed multipart body (part headers)")
            }
            let headers = String(decoding: data[(cursor + 2)..<hEnd.lowerBound], as: UTF8.self)
            guard let end = data.range(of: next, in: hEnd.upperBound..<data.endIndex) else {
                throw APIError.badRequest("malformed multipart body (no closing boundary): truncated upload?")
            }
            let body = data[hEnd.upperBound..<end.lowerBound]
            let (name, filename) = disposition(headers)
            guard let name else { throw APIError.badRequest("multipart part without a name") }
            if filename == nil && body.count < 1 << 20 {
                upload.fields[name] = String(decoding: body, as: UTF8.self)
            } else {
                let p = try files.newFile("part", reserving: body.count)
                guard FileManager.default.createFile(atPath: p, contents: body) else { throw APIError(500, "cannot write the temp area") }
                upload.files[name] = p
            }
            cursor = end.upperBound
        }
        return upload
    }

    /// `name` and `filename` of a part's Content-Disposition header.
    static func disposition(_ headers: String) -> (name: String?, filename: String?) {
        var name: String?, filename: String?
        for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            for param in line.split(separator: ";").dropFirst() {
                let kv = param.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2 else { continue }
                let v = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                switch kv[0].lowercased() {
                case "name": name = v
                case "filename": filename = v
                default: break
                }
            }
        }
        return (name, filename)
    }
}
