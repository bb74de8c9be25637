import Testing
import Foundation
@testable import LuxCLI
import LuxIO
import LuxImage

private func dataDir(_ file: String = #filePath) -> URL? {
    var u = URL(fileURLWithPath: file).deletingLastPathComponent()
    while u.path != "/" && !FileManager.default.fileExists(atPath: u.appendingPathComponent("Package.swift").path) {
        u.deleteLastPathComponent()
    }
    let d = u.appendingPathComponent("../shared/data").standardized
    return FileManager.default.fileExists(atPath: d.path) ? d : nil
}

private func srgbDecode(_ v: Double) -> Double { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
private func srgbEncode(_ l: Double) -> Double {
    let x = min(max(l, 0), 1)
    return x <= 0.0031308 ? 12.92 * x : 1.055 * pow(x, 1 / 2.4) - 0.055
}

@Suite("lux apply")
struct ApplyCommandTests {
    @Test func exposurePlusOneOnKodakPNGAndExports() throws {
        guard let data = dataDir() else {
            print("skipping: ../shared/data not found (CI has it)")
            return
        }
        let input = data.appendingPathComponent("kodak24/kodim01.png").path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lux-apply-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.png").path
        let xmp = dir.appendingPathComponent("r.xmp").path, cube = dir.appendingPathComponent("r.cube").path
        var cmd = try LuxCommand.parseAsRoot(["apply", "--set", "exposure=+1", "--xmp", xmp, "--cube", cube, input, out])
        try cmd.run()
        let a = try ImageIO.read(path: input).image, b = try ImageIO.read(path: out).image
        #expect(a.width == b.width && a.height == b.height)
        var err = 0.0
        for i in stride(from: 0, to: a.pixels.count, by: 7) {
            err += abs(srgbEncode(2 * srgbDecode(Double(a.pixels[i]))) - Double(b.pixels[i]))
        }
        let mae = err / Double((a.pixels.count + 6) / 7)
        #expect(mae < 1.0 / 255, "MAE \(mae * 255)/255")
        #expect(try String(contentsOfFile: xmp, encoding: .utf8).contains("crs:Exposure2012=\"+1\""))
        #expect(try String(contentsOfFile: cube, encoding: .utf8).contains("LUT_3D_SIZE 33"))
        // Refuses to overwrite without --force; recipe from the XMP it wrote reproduces the edit.
        var again = try LuxCommand.parseAsRoot(["apply", "--set", "exposure=+1", input, out])
        #expect(throws: (any Error).self) { try again.run() }
        var viaXMP = try LuxCommand.parseAsRoot(["apply", "--from-xmp", xmp, "--force", input, out])
        try viaXMP.run()
        let c = try ImageIO.read(path: out).image
        #expect(c.pixels == b.pixels)
    }

    @Test func rejectsBadSettings() {
        #expect(throws: (any Error).self) {
            var c = try LuxCommand.parseAsRoot(["apply", "--set", "exposure=99", "--cube", "/tmp/never.cube"])
            try c.run()
        }
    }
}
