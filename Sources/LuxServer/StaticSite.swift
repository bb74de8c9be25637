import Foundation
import Hummingbird
import NIOCore

/// The web page: plain HTML, CSS and JavaScript shipped as package resources (no CDN, no build
/// step), read once at start and served from memory.
struct StaticSite: Sendable {
    static let files = ["index.html", "app.js", "style.css"]
    let contents: [String: Data]

    static func load() throws -> StaticSite {
        var c: [String: Data] = [:]
        for name in files {
            let ext = (name as NSString).pathExtension
            guard let url = Bundle.module.url(forResource: (name as NSString).deletingPathExtension, withExtension: ext, subdirectory: "Resources") else {
                throw APIError(500, "web page resource \(name) is missing from the bundle")
            }
            c[name] = try Data(contentsOf: url)
        }
        return StaticSite(contents: c)
    }

    func response(_ name: String) -> Response {
        guard let data = contents[name] else { return LuxServer.errorResponse(APIError(404, "no such file: \(name)")) }
        let type = switch (name as NSString).pathExtension {
        case "html": "text/html; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        default: "text/css; charset=utf-8"
        }
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
