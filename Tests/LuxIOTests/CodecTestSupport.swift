import Foundation
import LuxImage

/// Helpers for the JPEG/PNG/EXIF tests: the shared photo folder, temporary files, ImageMagick.
enum CodecFixtures {
    /// `../shared/data` beside the package root, found by walking up from this file.
    static var sharedData: URL? {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                let data = dir.deletingLastPathComponent().appendingPathComponent("shared/data")
                return FileManager.default.fileExists(atPath: data.path) ? data : nil
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    static var kodim01: URL? { sharedData?.appendingPathComponent("kodak24/kodim01.png") }

    /// A fresh temporary folder.
    static func tempDir() -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("lux-codecs-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// Runs ImageMagick `convert` with `args`; returns stdout, or nil if it is not installed or fails.
    static func convert(_ args: [String]) -> Data? {
        let exe = ["/usr/bin/convert", "/usr/local/bin/convert"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let exe else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? out : nil
    }

    /// A smooth RGB test image: gentle gradients and a low-frequency sine, values in [0.05, 0.95].
    static func smooth(width: Int = 96, height: Int = 64) -> Image {
        var img = Image(width: width, height: height, channels: 3, colorSpace: .sRGB)
        for y in 0..<height {
            for x in 0..<width {
                let u = Float(x) / Float(width - 1), v = Float(y) / Float(height - 1)
                img[x, y, 0] = 0.05 + 0.9 * u
                img[x, y, 1] = 0.05 + 0.9 * v
                img[x, y, 2] = 0.5 + 0.45 * sin(3 * u + 2 * v)
            }
        }
        return img
    }

    /// Mean absolute difference over all samples of two same-sized images.
    static func meanAbsError(_ a: Image, _ b: Image) -> Float {
        precondition(a.pixels.count == b.pixels.count)
        var s: Double = 0
        for i in a.pixels.indices { s += Double(abs(a.pixels[i] - b.pixels[i])) }
        return Float(s / Double(a.pixels.count))
    }

    /// A 132-byte ICC header-only RGB display profile ("acsp", PCS XYZ, D50), `padding` extra bytes
    /// appended (the length field covers them) so multi-segment JPEG storage can be exercised.
    static func iccProfile(padding: Int = 0) -> [UInt8] {
        let size = 132 + padding
        var p = [UInt8](repeating: 0, count: size)
        func put32(_ o: Int, _ v: UInt32) { for k in 0..<4 { p[o + k] = UInt8((v >> (24 - 8 * UInt32(k))) & 0xFF) } }
        func put(_ o: Int, _ s: String) { for (k, c) in s.utf8.enumerated() { p[o + k] = c } }
        put32(0, UInt32(size))
        put32(8, 0x0210_0000)
        put(12, "mntr"); put(16, "RGB "); put(20, "XYZ "); put(36, "acsp")
        put32(68, 0x0000_F6D6); put32(72, 0x0001_0000); put32(76, 0x0000_D32D)
        put32(128, 0) // tag count
        for i in 0..<padding { p[132 + i] = UInt8(truncatingIfNeeded: i &* 31 &+ 7) }
        return p
    }
}
