import Foundation
import Testing
import LuxIO
import LuxImage

/// `lux adjust` through the built binary with the embedded models.
@Suite("lux adjust")
struct AdjustCommandTests {
    @Test func adjustsWritesMapsAndAppliesAUserMask() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/photo.png"
        try Support.writeSmallSample(to: input, width: 120, height: 80)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        let r = try Support.lux(["adjust", input, "--effect", "pop-out", "-o", dir + "/out.png", "--maps-out", dir + "/maps.png"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix(dir + "/out.png\n" + dir + "/maps.png\n" + dir + "/maps.1.png\n"))
        let out = try ImageIO.read(path: dir + "/out.png").image
        #expect(out.width == 120 && out.height == 80)
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
        // A mask (half the size, same aspect: resized) applying preset 1 on the left half only.
        var mask = Image(width: 60, height: 40, channels: 3, colorSpace: .sRGB)
        for c in 0..<3 { for y in 0..<40 { for x in 0..<20 { mask[x, y, c] = 1 } } }
        try ImageIO.write(ImageFile(image: mask, metadata: ImageMetadata(format: .png, bitDepth: 8)), to: dir + "/mask.png", format: .png)
        let m = try Support.lux(["adjust", input, "-e", "pop-out", "-o", dir + "/masked.png", "--map", "1=" + dir + "/mask.png"])
        #expect(m.code == 0, "\(m.stderr)")
        let masked = try ImageIO.read(path: dir + "/masked.png").image
        var changedRight = 0
        for c in 0..<3 { for y in 0..<80 { for x in 44..<120 where masked[x, y, c] != out[x, y, c] { changedRight += 1 } } }
        #expect(changedRight == 0, "pixels right of the mask changed")
        // Refusals: existing output, unknown effect, preset out of range, mask of another aspect ratio; all one line.
        let again = try Support.lux(["adjust", input, "-e", "pop-out", "-o", dir + "/out.png"])
        #expect(again.code == 1 && again.stderrLines.count == 1 && again.stderrLines[0].hasPrefix("lux: error: "))
        let effect = try Support.lux(["adjust", input, "-e", "sepia", "-o", dir + "/x.png"])
        #expect(effect.code == 2 && effect.stderrLines.count == 1 && effect.stderr.contains("unknown effect"))
        let range = try Support.lux(["adjust", input, "-e", "xpro", "-o", dir + "/y.png", "--map", "99=" + dir + "/mask.png"])
        #expect(range.code == 2 && range.stderrLines.count == 1 && range.stderr.contains("presets 1-"))
        var square = Image(width: 50, height: 50, channels: 3, colorSpace: .sRGB)
        square[0, 0, 0] = 1
        try ImageIO.write(ImageFile(image: square, metadata: ImageMetadata(format: .png, bitDepth: 8)), to: dir + "/square.png", format: .png)
        let size = try Support.lux(["adjust", input, "-e", "xpro", "-o", dir + "/z.png", "--map", "1=" + dir + "/square.png"])
        #expect(size.code == 2 && size.stderrLines.count == 1 && size.stderr.contains("aspect ratio"))
        let overwrite = try Support.lux(["adjust", input, "-e", "xpro", "-o", input, "--force"])
        #expect(overwrite.code == 1 && overwrite.stderr.contains("refusing to overwrite the input"))
        // Training options: a negative --tune-split is refused by name, in validation mode too.
        for mode in [["--validate"], ["--effect", "xpro", "--out", dir + "/m.safetensors"]] {
            let split = try Support.lux(["train", "adjust"] + mode + ["--tune-split=-1"])
            #expect(split.code == 2 && split.stderrLines.count == 1 && split.stderr.contains("--tune-split must be 0"), "\(split.stderr)")
        }
    }
}
