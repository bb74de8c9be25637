import Foundation
import LuxTestSupport
import Testing
import LuxIO

/// Shared helpers for the CLI tests: paths, temporary folders, and running the built `lux` binary.
enum Support {
    /// The package root (``LuxTestSupport/packageRoot``).
    static var packageRoot: URL { LuxTestSupport.packageRoot }

    /// `../shared/data` beside the package, nil if absent.
    static let dataDir: URL? = {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()

    static func sample(_ name: String) -> String { packageRoot.appendingPathComponent("Samples/\(name)").path }

    /// A fresh empty folder under the system temporary folder.
    static func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lux-cli-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    /// Writes `Samples/kodim23.png` resized to `width`×`height` (its metadata kept) as `path`, a PNG.
    static func writeSmallSample(to path: String, width: Int, height: Int) throws {
        let src = try ImageIO.read(path: sample("kodim23.png"))
        try ImageIO.write(ImageFile(image: src.image.resized(width: width, height: height), metadata: src.metadata), to: path, format: .png)
    }

    /// The built `lux` executable: beside the test bundle, else in `.build/debug`.
    static let luxBinary: String? = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lux").path
        let fallback = packageRoot.appendingPathComponent(".build/debug/lux").path
        return [beside, fallback].first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    struct Outcome {
        var code: Int32
        var stdout: String
        var stderr: String
        var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    }

    /// Runs `lux ARGS` as a child process and collects exit code, stdout and stderr.
    static func lux(_ args: [String], cwd: String? = nil) throws -> Outcome {
        guard let binary = luxBinary else {
            Issue.record("the lux executable was not found; build it with `swift build --product lux`")
            return Outcome(code: -1, stdout: "", stderr: "")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = args
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let dir = try tempDir()
        let outURL = URL(fileURLWithPath: dir).appendingPathComponent("stdout")
        let errURL = URL(fileURLWithPath: dir).appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        return Outcome(code: process.terminationStatus,
                       stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                       stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// The first `fraction` of a file's bytes, written to `path`.
    static func truncate(_ source: String, to path: String, fraction: Double) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: source))
        try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: path))
    }

    /// CRC-32 (IEEE, as PNG uses) of `bytes`.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// A PNG whose header claims `width` x `height` 8-bit RGB pixels, with a tiny (wrong-sized) IDAT.
    static func pngHeader(width: UInt32, height: UInt32) -> Data {
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            let tb = Array(type.utf8) + body
            return be(UInt32(body.count)) + tb + be(crc32(tb))
        }
        let ihdr = be(width) + be(height) + [8, 2, 0, 0, 0]
        let idat: [UInt8] = [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01] // zlib of one 0 byte
        return Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("IDAT", idat) + chunk("IEND", []))
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// Files in `dir` other than hidden ones.
    static func visibleFiles(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }
}
