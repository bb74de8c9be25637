import Foundation
import Testing
@testable import LuxCLI
import LuxColor
import LuxDatasets
import LuxIO
import LuxImage

@Suite("lux dataset exposure")
struct DatasetCommandTests {
    @Test func negativeEVsParse() throws {
        #expect(try ExposureDatasetCommand.parseEVs("-1.5,-1,1,1.5") == [-1.5, -1, 1, 1.5])
        #expect(try ExposureDatasetCommand.parseEVs("+2, -0.5") == [2, -0.5])
        let cmd = try #require(try LuxCommand.parseAsRoot(["dataset", "exposure", "--source", "s", "--evs", "-1,1", "-o", "o"]) as? ExposureDatasetCommand)
        #expect(try ExposureDatasetCommand.parseEVs(cmd.evs) == [-1, 1])
        let eq = try #require(try LuxCommand.parseAsRoot(["dataset", "exposure", "--source", "s", "--evs=-1.5", "-o", "o"]) as? ExposureDatasetCommand)
        #expect(eq.evs == "-1.5")
        #expect(throws: (any Error).self) { try LuxCommand.parseAsRoot(["dataset", "exposure", "--source", "s", "--evs", "1,x", "-o", "o"]) }
        #expect(throws: CLIError.self) { _ = try ExposureDatasetCommand.parseEVs("") }
        #expect(throws: CLIError.self) { _ = try ExposureDatasetCommand.parseEVs("1,99") }
    }

    @Test func writesInputsAndTargetsPerEV() throws {
        let root = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let src = root + "/src"
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        // A dark linear 16-bit photo, as in fivek-linear.
        var lin = Image(width: 40, height: 30, colorSpace: .working)
        for i in 0..<lin.pixels.count { lin.pixels[i] = Float((i * 37) % 1000) / 20000 }
        lin = Image(width: 40, height: 30, colorSpace: .working, pixels: lin.pixels.map { ($0 * 65535).rounded() / 65535 })
        for name in ["a.png", "b.png"] {
            try ImageIO.write(ImageFile(image: lin, metadata: ImageMetadata(format: .png, bitDepth: 16)), to: src + "/" + name,
                              format: .png, options: EncodeOptions(bitDepth: 16))
        }
        try "a.png\n".write(toFile: root + "/VAL.txt", atomically: true, encoding: .utf8)
        var cmd = try LuxCommand.parseAsRoot(["dataset", "exposure", "--source", src, "--list", root + "/VAL.txt",
                                              "--evs", "-1,1", "-o", root + "/out"])
        try cmd.run()
        #expect(Support.visibleFiles(root + "/out/inputs") == ["a_+1.png", "a_-1.png"])
        #expect(Support.visibleFiles(root + "/out/targets") == ["a_+1.png", "a_-1.png"])
        let expected = ExposureRendering.pair(lin, ev: -1)
        let input = try ImageIO.read(path: root + "/out/inputs/a_-1.png")
        let target = try ImageIO.read(path: root + "/out/targets/a_-1.png")
        #expect(input.metadata.bitDepth == 8)
        #expect(input.metadata.iccProfile == ColorPipeline.iccProfile(for: .sRGB))
        #expect(zip(input.image.pixels, expected.input.pixels).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(zip(target.image.pixels, expected.target.pixels).allSatisfy { abs($0 - $1) < 1e-6 })
        // Existing outputs are refused without --force.
        var again = try LuxCommand.parseAsRoot(["dataset", "exposure", "--source", src, "--evs", "1", "-o", root + "/out"])
        #expect(throws: CLIError.self) { try again.run() }
    }
}
