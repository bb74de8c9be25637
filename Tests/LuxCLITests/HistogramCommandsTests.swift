import Foundation
import Testing
@testable import LuxCLI
import LuxColor
import LuxHistogram
import LuxImage
import LuxIO

/// `lux transfer`, `lux histogram` and `lux enhance --engine histogram`, through the built binary.
@Suite("lux transfer / histogram / enhance --engine histogram")
struct HistogramCommandsTests {
    /// A 96×64 PNG: a warm gradient (`warm`) or a cool one.
    static func fixture(_ path: String, warm: Bool) throws {
        var img = Image(width: 96, height: 64, channels: 3, colorSpace: .sRGB)
        let n = img.planeCount
        for y in 0..<64 {
            for x in 0..<96 {
                let u = Float(x) / 95, v = Float(y) / 63, i = y * 96 + x
                let c: SIMD3<Float> = warm ? SIMD3(0.5 + 0.4 * u, 0.35 + 0.3 * v, 0.2 + 0.1 * u * v)
                                           : SIMD3(0.15 + 0.2 * v, 0.3 + 0.2 * u, 0.5 + 0.4 * u)
                img.pixels[i] = c.x; img.pixels[n + i] = c.y; img.pixels[2 * n + i] = c.z
            }
        }
        let meta = ImageMetadata(format: .png, bitDepth: 8, iccProfile: ColorPipeline.iccProfile(for: .sRGB))
        try ImageIO.write(ImageFile(image: img, metadata: meta), to: path, format: .png, options: EncodeOptions(bitDepth: 8))
    }

    static func channelMeans(_ path: String) throws -> SIMD3<Float> {
        ColorSamples(image: try ImageIO.read(path: path).image.rgb()).meanStd().mean
    }

    @Test(arguments: [["--regrain"], ["--method", "reinhard"]])
    func transferGradesLikeTheReference(_ extra: [String]) throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = dir + "/cool.png", b = dir + "/warm.png", out = dir + "/out/graded.png"
        try Self.fixture(a, warm: false); try Self.fixture(b, warm: true)
        let r = try Support.lux(["transfer", a, "--reference", b, "-o", out] + extra)
        #expect(r.code == 0, "stderr: \(r.stderr)")
        let mo = try Self.channelMeans(out), mb = try Self.channelMeans(b), ma = try Self.channelMeans(a)
        for c in 0..<3 {
            #expect(abs(mo[c] - mb[c]) < 0.02, "channel \(c): output \(mo[c]), reference \(mb[c]), input \(ma[c])")
        }
        // Existing output: refused without --force, one error line, exit 1.
        let again = try Support.lux(["transfer", a, "--reference", b, "-o", out] + extra)
        #expect(again.code == 1 && again.stderrLines.count == 1 && again.stderr.hasPrefix("lux: error:"), "stderr: \(again.stderr)")
    }

    @Test func transferRefusesToOverwriteAnInputAndBadInputs() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = dir + "/a.png", b = dir + "/b.png"
        try Self.fixture(a, warm: false); try Self.fixture(b, warm: true)
        let before = try Data(contentsOf: URL(fileURLWithPath: b))
        let r = try Support.lux(["transfer", a, "--reference", b, "-o", b, "--force"])
        #expect(r.code == 1 && r.stderrLines.count == 1 && r.stderr.contains("refusing to overwrite the input"), "stderr: \(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: b)) == before)
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: dir + "/bad.png"))
        let bad = try Support.lux(["transfer", dir + "/bad.png", "--reference", b, "-o", dir + "/x.png"])
        #expect(bad.code == 1 && bad.stderrLines.count == 1 && bad.stderr.hasPrefix("lux: error:"), "stderr: \(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.png"))
    }

    @Test func histogramPrintsASummaryAndPlots() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = dir + "/a.png", plot = dir + "/h.png"
        try Self.fixture(a, warm: true)
        let r = try Support.lux(["histogram", a, "--plot", plot, "--predicted"])
        #expect(r.code == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.hasPrefix(a + ": ") && r.stdout.contains("cells occupied, mean 0.7"), "stdout: \(r.stdout)")
        let img = try ImageIO.read(path: plot).image
        // Two rows (the photo and the prediction) of three 192 px panels.
        #expect(img.width == 10 + 3 * 202 && img.height == 10 + 2 * (192 + 16 + 10))
    }

    @Test func enhanceWithTheHistogramEngine() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = dir + "/a.png"
        try Self.fixture(a, warm: true)
        let r = try Support.lux(["enhance", a, "-o", dir + "/out", "--engine", "histogram", "--format", "png"])
        #expect(r.code == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == dir + "/out/a.lux.png: " + EnhanceEngine.histogramDescription + "\n")
        let out = try ImageIO.read(path: dir + "/out/a.lux.png").image
        #expect(out.width == 96 && out.height == 64)
        let bad = try Support.lux(["enhance", a, "--engine", "histogram", "--xmp", dir + "/r.xmp"])
        #expect(bad.code == 2 && bad.stderrLines.count == 1, "stderr: \(bad.stderr)")
    }

    @Test func trainHistogramWritesAModelThatEnhanceAndResumeUse() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/photos", withIntermediateDirectories: true)
        try Self.fixture(dir + "/photos/a.png", warm: true); try Self.fixture(dir + "/photos/b.png", warm: false)
        let model = dir + "/m.safetensors"
        let common = ["train", "histogram", "--photos", dir + "/photos", "--out", model, "--bins", "4", "--hidden", "8",
                      "--batch", "4", "--side", "64", "--checkpoint-every", "2"]
        let r = try Support.lux(common + ["--iterations", "2"])
        #expect(r.code == 0, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("wrote \(model) after 2 iterations"))
        let resumed = try Support.lux(common + ["--iterations", "4", "--resume", model + ".ckpt"])
        #expect(resumed.code == 0 && resumed.stderr.contains("resumed at iteration 2"), "stderr: \(resumed.stderr)")
        let e = try Support.lux(["enhance", dir + "/photos/a.png", "-o", dir + "/out", "--engine", "histogram", "--model", model])
        #expect(e.code == 0, "stderr: \(e.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/out/a.lux.jpg"))
        // A file that is not a histogram model: one error line, exit 1.
        let bad = try Support.lux(["enhance", dir + "/photos/a.png", "-o", dir + "/out2", "--engine", "histogram", "--model", dir + "/photos/b.png"])
        #expect(bad.code == 1 && bad.stderrLines.count == 1 && bad.stderr.hasPrefix("lux: error:"), "stderr: \(bad.stderr)")
    }

    @Test func calibrateWritesTheStrengthIntoTheModelAndTrainingDropsIt() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/photos", withIntermediateDirectories: true)
        try Self.fixture(dir + "/photos/a.png", warm: true)
        let model = dir + "/m.safetensors", calibrated = dir + "/m-cal.safetensors", retrained = dir + "/m2.safetensors"
        let train = ["train", "histogram", "--photos", dir + "/photos", "--bins", "4", "--hidden", "8", "--batch", "2", "--side", "64", "--iterations", "1"]
        #expect(try Support.lux(train + ["--out", model]).code == 0)
        // Scores of two edits: a near photo that only a small step helps, a far one that wants a large step.
        func sample(_ d: Double, _ best: Double) -> StrengthCalibration.Sample {
            let p = StrengthCalibration.grid.map { 20 + 4 * Double($0) * (2 * best - Double($0)) }
            return .init(name: "x.png", seed: 1, distance: d, move: 0.01, psnr: p, de: p.map { 40 - $0 })
        }
        try StrengthCalibration.csv(Array(repeating: sample(0.3, 0.1), count: 3) + Array(repeating: sample(5, 0.8), count: 3))
            .write(toFile: dir + "/scores.csv", atomically: true, encoding: .utf8)
        let r = try Support.lux(["train", "histogram", "--calibrate", "--calibrate-from", dir + "/scores.csv", "--model", model, "--out", calibrated])
        #expect(r.code == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("fixed strength 0.5: wins 3/6") && r.stdout.contains("wins 6/6") && r.stdout.contains("wrote \(calibrated)"), "stdout: \(r.stdout)")
        let rule = try #require(try HistogramNet(contentsOf: URL(fileURLWithPath: calibrated)).strength)
        #expect(rule.strength(distance: 0.3, move: 0.01) < 0.2 && rule.strength(distance: 5, move: 0.01) > 0.5)
        #expect(try HistogramNet(contentsOf: URL(fileURLWithPath: model)).strength == nil)
        // A calibration belongs to its weights: training from the calibrated model writes none.
        #expect(try Support.lux(train + ["--init", calibrated, "--out", retrained]).code == 0)
        #expect(try HistogramNet(contentsOf: URL(fileURLWithPath: retrained)).strength == nil)
    }
}
