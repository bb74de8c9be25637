import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LuxIO
import LuxImage
import LuxServer
import Testing

/// A real `lux serve` instance on a free loopback port, for one test; ``stop()`` ends it.
final class TestServer: @unchecked Sendable {
    /// Loaded once: the embedded default models of every engine.
    static let engines: Engines = try! Engines.loadDefault()

    let server: LuxServer
    let port: Int
    private let task: Task<Void, any Error>

    var base: String { "http://127.0.0.1:\(port)" }

    init(_ configure: (inout ServerOptions) -> Void = { _ in }) async throws {
        var o = ServerOptions()
        o.port = 0
        o.tempParent = FileManager.default.temporaryDirectory.path
        configure(&o)
        let server = try LuxServer(options: o, engines: Self.engines)
        let (stream, cont) = AsyncStream.makeStream(of: Int.self)
        task = Task { try await server.run { cont.yield($0); cont.finish() } }
        var bound = 0
        for await p in stream { bound = p }
        self.server = server
        port = bound
    }

    /// Runs `body` against a fresh server and stops it afterwards, whether `body` throws or not.
    static func serving(_ configure: (inout ServerOptions) -> Void = { _ in }, _ body: (TestServer) async throws -> Void) async throws {
        let server = try await TestServer(configure)
        do { try await body(server) } catch { await server.stop(); throw error }
        await server.stop()
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
        var error: String { json["error"] as? String ?? "" }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// A plain HTTP request (a fresh session, no caching, no cookies).
    func request(_ method: String, _ path: String, body: Data? = nil, contentType: String? = nil) async throws -> Reply {
        var r = URLRequest(url: URL(string: base + path)!)
        r.httpMethod = method
        r.httpBody = body
        r.timeoutInterval = 300
        if let contentType { r.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: r)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
        return Reply(status: http.statusCode, headers: headers, body: data)
    }

    /// A raw HTTP/1.1 POST whose body is sent in `parts`, with `pause` seconds between them (a slow
    /// client); returns the status line. Blocking; loopback only.
    func trickle(_ path: String, parts: [Data], pause: Double) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard ok == 0 else { throw URLError(.cannotConnectToHost) }
        let total = parts.reduce(0) { $0 + $1.count }
        let head = Data("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(total)\r\nConnection: close\r\n\r\n".utf8)
        for (i, part) in ([head] + parts).enumerated() {
            if i > 1 { usleep(UInt32(pause * 1_000_000)) }
            _ = part.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
        var reply = [UInt8](repeating: 0, count: 4096)
        let n = reply.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return String(decoding: reply[..<max(0, n)], as: UTF8.self).components(separatedBy: "\r\n").first ?? ""
    }

    func post(_ path: String, _ body: Data) async throws -> Reply { try await request("POST", path, body: body) }

    /// A multipart/form-data POST of `files` (field name, bytes) and text `fields`.
    func postForm(_ path: String, files: [(String, Data)], fields: [(String, String)] = []) async throws -> Reply {
        let boundary = "lux-test-\(UUID().uuidString)"
        var body = Data()
        for (name, data) in files {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(name).bin\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            body += data + Data("\r\n".utf8)
        }
        for (name, value) in fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        return try await request("POST", path, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }
}

enum Fixtures {
    /// The package's Samples folder (this file is Tests/LuxServerTests/TestServer.swift).
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Samples")

    static func sample(_ name: String) -> String { samples.appendingPathComponent(name).path }
    /// Samples/kodim23.jpg: 768x512 JPEG.
    static let jpeg = try! Data(contentsOf: URL(fileURLWithPath: sample("kodim23.jpg")))
    /// Samples/kodim23.png: 768x512 PNG.
    static let png = try! Data(contentsOf: URL(fileURLWithPath: sample("kodim23.png")))

    /// kodim23 at `side` px (longest side), as an 8-bit PNG: a quick job for tests that need no full-size photo.
    static func small(_ side: Int) -> Data {
        let file = try! PNGCodec.decode(png, path: "kodim23.png", options: DecodeOptions())
        let meta = ImageMetadata(format: .png, bitDepth: 8)
        return try! PNGCodec.encode(ImageFile(image: file.image.thumbnail(maxSide: side), metadata: meta), options: EncodeOptions(bitDepth: 8))
    }
    static let small256 = small(256)
    static let small384 = small(384)

    /// A PNG header claiming 100000 x 100000 pixels (a decompression bomb's shape) with a tiny body.
    static let bomb: Data = {
        func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
        func chunk(_ type: String, _ payload: [UInt8]) -> [UInt8] {
            let tp = Array(type.utf8) + payload
            return be32(UInt32(payload.count)) + tp + be32(crc32(tp))
        }
        let ihdr = be32(100_000) + be32(100_000) + [8, 2, 0, 0, 0]
        return Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) + chunk("IEND", []))
    }()

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return ~c
    }

    /// Decodes an encoded image from memory (format from its bytes).
    static func decode(_ data: Data) throws -> Image {
        guard let format = ImageIO.detectFormat(data), let codec = ImageIO.codec(for: format) else {
            throw ImageIOError.unsupportedFormat(path: "reply", detail: "not an image")
        }
        return try codec.decode(data, path: "reply", options: DecodeOptions()).image
    }

    /// Mean of all samples.
    static func mean(_ image: Image) -> Double {
        image.pixels.reduce(0.0) { $0 + Double($1) } / Double(max(1, image.pixels.count))
    }
}
