import Foundation
import Hummingbird
import LuxCLI
import LuxIO

/// Typed reads of query parameters; a bad value is a 400 with the parameter's name and what it takes.
struct QueryOptions: Sendable {
    let parameters: Parameters

    func string(_ key: String) -> String? { parameters.get(key).flatMap { $0.isEmpty ? nil : $0 } }

    func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let s = string(key) else { return nil }
        guard let v = Int(s), range.contains(v) else { throw APIError.badRequest("\(key) must be an integer in \(range.lowerBound)...\(range.upperBound), got '\(s)'") }
        return v
    }

    func float(_ key: String, _ range: ClosedRange<Float>) throws -> Float? {
        guard let s = string(key) else { return nil }
        guard let v = Float(s.hasPrefix("+") ? String(s.dropFirst()) : s), v.isFinite, range.contains(v) else {
            throw APIError.badRequest("\(key) must be a number in \(range.lowerBound)...\(range.upperBound), got '\(s)'")
        }
        return v
    }

    func bool(_ key: String) throws -> Bool {
        guard let s = string(key)?.lowercased() else { return false }
        switch s {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw APIError.badRequest("\(key) must be true or false, got '\(s)'")
        }
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let s = string(key) else { return nil }
        guard let v = T(rawValue: s.lowercased()) else {
            throw APIError.badRequest("\(key) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got '\(s)'")
        }
        return v
    }

    /// `format`, `quality`, `response` and `include`, read before the upload so that a bad request costs no upload.
    func output() throws -> OutputRequest {
        var o = OutputRequest()
        if let f = string("format") {
            guard let format = ImageFormat.forOutput(path: "x." + f.lowercased()), [.jpeg, .png, .tiff].contains(format) else {
                throw APIError.badRequest("format must be jpeg, png or tiff, got '\(f)'")
            }
            o.format = format
        }
        o.quality = try int("quality", 1...100) ?? 92
        if let m = string("response") {
            guard let mode = OutputRequest.Mode(rawValue: m.lowercased()) else { throw APIError.badRequest("response must be json or image, got '\(m)'") }
            o.mode = mode
        }
        if let inc = string("include") {
            let items = Set(inc.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            let unknown = items.subtracting(OutputRequest.extras)
            guard unknown.isEmpty else {
                throw APIError.badRequest("include takes \(OutputRequest.extras.sorted().joined(separator: ",")), got '\(unknown.sorted().joined(separator: ","))'")
            }
            o.include = items
        }
        return o
    }
}
