import Foundation
import Testing
@testable import LuxCLI
import LuxIO
import LuxImage

/// Writes a constant-colour 8-bit sRGB PNG (with a small gradient in red so SSIM sees structure).
private func writePNG(_ path: String, code: Int, width: Int = 24, height: Int = 20) throws {
    var img = Image(width: width, height: height, colorSpace: .sRGB)
    for i in 0..<img.planeCount {
        img.pixels[i] = Float(code + (i % width)) / 255
        img.pixels[img.planeCount + i] = Float(code) / 255
        img.pixels[2 * img.planeCount + i] = Float(code) / 255
    }
    try ImageIO.write(ImageFile(image: img, metadata: ImageMetadata(format: .png, bitDepth: 8)), to: path, format: .png)
}

/// Two pairs whose inputs differ from their targets by a constant 10 and 20 codes: PSNR 20 log10(25.5)
/// and 20 log10(12.75), i.e. 28.131 and 22.110 dB, mean 25.121 dB.
private func makePairs() throws -> String {
    let root = try Support.tempDir()
    try FileManager.default.createDirectory(atPath: root + "/inputs", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: root + "/targets", withIntermediateDirectories: true)
    try writePNG(root + "/inputs/p_-1.png", code: 110)
    try writePNG(root + "/targets/p_-1.png", code: 100)
    try writePNG(root + "/inputs/p_+1.png", code: 120)
    try writePNG(root + "/targets/p_+1.png", code: 100)
    return root
}

@Suite("lux eval")
struct EvalCommandTests {
    @Test func identityTableHasKnownPSNR() throws {
        let root = try makePairs()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cmd = try #require(try LuxCommand.parseAsRoot(["eval", "--pairs", root, "--engine", "identity"]) as? EvalCommand)
        let report = try cmd.evaluate(try .init(root: root))
        #expect(report.groups.map(\.label) == ["all", "EV -1", "EV +1"])
        let all = report.groups[0]
        #expect(all.pairs == 2 && all.rows.count == 1)
        let row = all.rows[0]
        #expect(row.method == "input (unedited)" && row.count == 2)
        let expected = (20 * log10(25.5) + 20 * log10(12.75)) / 2
        #expect(abs(row.psnr! - expected) < 1e-3, "PSNR \(row.psnr!) vs \(expected)")
        #expect(abs(report.groups[1].rows[0].psnr! - 20 * log10(25.5)) < 1e-3)
        #expect(abs(report.groups[2].rows[0].psnr! - 20 * log10(12.75)) < 1e-3)
        #expect(row.ssim! > 0.5 && row.ssim! < 1)
        #expect(row.deltaE00! > 1 && row.deltaE00! < 20)
        let table = report.table()
        #expect(table.contains("input (unedited)"))
        #expect(table.contains(String(format: "%.2f", expected)))
        let json = try JSONSerialization.jsonObject(with: Data(try report.json().utf8)) as? [String: Any]
        #expect((json?["groups"] as? [Any])?.count == 3)
    }

    @Test func identicalPairsScorePerfectly() throws {
        let root = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/in", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/out", withIntermediateDirectories: true)
        try writePNG(root + "/in/x.png", code: 90)
        try writePNG(root + "/out/x.png", code: 90)
        let cmd = try #require(try LuxCommand.parseAsRoot(["eval", "--inputs", root + "/in", "--targets", root + "/out", "--engine", "identity"]) as? EvalCommand)
        let row = try cmd.evaluate(try .init(inputs: root + "/in", targets: root + "/out")).groups[0].rows[0]
        #expect(row.psnr == .infinity)
        #expect(abs(row.ssim! - 1) < 1e-6)
        #expect(row.deltaE00! < 1e-9)
    }

    @Test func imageMagickBaselineRowWhenInstalled() throws {
        guard ImageMagickEngine.findConvert() != nil else { print("skipping: ImageMagick convert not installed"); return }
        let root = try makePairs()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cmd = try #require(try LuxCommand.parseAsRoot(["eval", "--pairs", root, "--engine", "imagemagick"]) as? EvalCommand)
        let rows = try cmd.evaluate(try .init(root: root)).groups[0].rows
        #expect(rows.map(\.method) == ["input (unedited)", "imagemagick"])
        #expect(rows[1].available && rows[1].count == 2)
        // auto-level stretches the 24-code red ramp to the full range: far from the target.
        #expect(rows[1].psnr! < rows[0].psnr!)
    }

    @Test func badAgentModelIsAClearError() throws {
        let root = try makePairs()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cmd = try #require(try LuxCommand.parseAsRoot(["eval", "--pairs", root, "--engine", "agent", "--model", root + "/none.safetensors"]) as? EvalCommand)
        #expect {
            _ = try cmd.evaluate(try .init(root: root))
        } throws: { error in
            guard case EvalError.agentUnavailable = error else { return false }
            return "\(error)".hasPrefix("agent unavailable: ")
        }
        let all = try #require(try LuxCommand.parseAsRoot(["eval", "--pairs", root, "--engine", "all", "--model", root + "/none.safetensors"]) as? EvalCommand)
        let agentRow = try #require(try all.evaluate(try .init(root: root)).groups[0].rows.first { $0.method == "agent" })
        #expect(!agentRow.available && agentRow.note != nil)
    }

    @Test func usageErrors() {
        #expect(throws: (any Error).self) { try LuxCommand.parseAsRoot(["eval"]) }
        #expect(throws: (any Error).self) { try LuxCommand.parseAsRoot(["eval", "--pairs", "a", "--inputs", "b"]) }
        #expect(throws: (any Error).self) { try LuxCommand.parseAsRoot(["eval", "--pairs", "a", "--engine", "magic"]) }
    }
}
