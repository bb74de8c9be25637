import Foundation
import Testing
import LuxIO
import LuxImage

/// `lux correct` through the built binary with the embedded model.
@Suite("lux correct")
struct CorrectCommandTests {
    @Test func correctsALargePhotoWithAllOptionsWithoutTouchingTheInput() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A small photo with --max-side below its size: the guided-filter path, fast in debug builds.
        let input = dir + "/photo.png"
        try Support.writeSmallSample(to: input, width: 240, height: 160)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        let r = try Support.lux(["correct", input, "-o", dir + "/out", "--max-side", "120", "--scales", "1,1,1,1.05", "--fusion", "--hist-adjust"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout == dir + "/out/photo.correct.jpg\n")
        let out = try ImageIO.read(path: dir + "/out/photo.correct.jpg")
        let src = try ImageIO.read(path: input)
        #expect(out.image.width == src.image.width && out.image.height == src.image.height)
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
        // A second run refuses to overwrite; bad scales are a usage error; both one line.
        let again = try Support.lux(["correct", input, "-o", dir + "/out"])
        #expect(again.code == 1 && again.stderrLines.count == 1 && again.stderrLines[0].hasPrefix("lux: error: "))
        let bad = try Support.lux(["correct", input, "-o", dir + "/out2", "--scales", "1,2"])
        #expect(bad.code == 2 && bad.stderrLines.count == 1 && bad.stderrLines[0].hasPrefix("lux: error: "))
        let noModel = try Support.lux(["correct", input, "-o", dir + "/out3", "--model", dir + "/none.safetensors"])
        #expect(noModel.code != 0 && noModel.stderrLines.count == 1 && noModel.stderrLines[0].hasPrefix("lux: error: "))
    }
}
