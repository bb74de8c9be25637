import Testing
import Foundation
@testable import LuxCLI
import LuxIO
import LuxImage
import LuxColor
import LuxTensor

/// `lux enhance` with a stand-in enhancer (a fixed recipe through the same pipeline) until the agent
/// ships a model; the placeholder agent itself is exercised through the binary (clear one-line error).
@Suite("lux enhance")
struct EnhanceCommandTests {
    static func command(_ args: [String]) throws -> EnhanceCommand {
        try EnhanceCommand.parse(args)
    }

    static func fileHash(_ path: String) throws -> Int { try Data(contentsOf: URL(fileURLWithPath: path)).hashValue }

    static func srgbDecode(_ v: Float) -> Double {
        let x = Double(v)
        return x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4)
    }

    @Test func exposureEditWritesOutputRecipeXMPCubeAndStepsWithoutTouchingInput() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/photo.png"
        try FileManager.default.copyItem(atPath: Support.sample("kodim23.png"), toPath: input)
        let before = try Self.fileHash(input)
        let out = dir + "/out"
        let cmd = try Self.command([input, "-o", out, "--recipe-out", dir + "/r.json", "--xmp", dir + "/r.xmp",
                                    "--cube", dir + "/r.cube", "--steps-image", dir + "/s.png", "--format", "png"])
        try cmd.run(enhancer: try .fixed(settings: ["exposure=+0.5"]))

        #expect(try Self.fileHash(input) == before)
        let a = try ImageIO.read(path: input).image, b = try ImageIO.read(path: out + "/photo.lux.png")
        #expect(a.width == b.image.width && a.height == b.image.height)
        #expect(b.metadata.iccProfile != nil)
        // Exposure +0.5 EV multiplies linear light by 2^0.5 where nothing clips.
        var ratios: [Double] = []
        for i in stride(from: 0, to: a.planeCount, by: 13) {
            let x = Self.srgbDecode(a.pixels[i]), y = Self.srgbDecode(b.image.pixels[i])
            if x > 0.05 && x < 0.5 { ratios.append(y / x) }
        }
        ratios.sort()
        #expect(ratios.count > 1000)
        #expect(abs(ratios[ratios.count / 2] - pow(2, 0.5)) < 0.03)

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/r.json"))) as? [String: Any]
        let steps = json?["steps"] as? [[String: Any]]
        #expect(steps?.count == 1)
        #expect("\(steps?.first ?? [:])".contains("exposure"))
        let xmp = try String(contentsOfFile: dir + "/r.xmp", encoding: .utf8)
        #expect(xmp.contains("crs:Exposure2012=\"+0.50\"") || xmp.contains("Exposure2012"))
        let cube = try String(contentsOfFile: dir + "/r.cube", encoding: .utf8)
        #expect(cube.contains("LUT_3D_SIZE 33"))
        #expect(cube.split(separator: "\n").filter { $0.first?.isNumber == true }.count == 33 * 33 * 33)
        let strip = try ImageIO.read(path: dir + "/s.png").image
        #expect(strip.width == 8 + 2 * (StepsImage.cell + 8))
    }

    @Test func identityEditRoundTripsAn8BitPhotoThroughTheWorkingSpace() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = Support.sample("kodim23.png")
        try Self.command([input, "-o", dir, "--format", "png"]).run(enhancer: try .fixed(settings: []))
        let a = try ImageIO.read(path: input).image, b = try ImageIO.read(path: dir + "/kodim23.lux.png").image
        var worst: Float = 0
        for i in stride(from: 0, to: a.pixels.count, by: 5) { worst = max(worst, abs(a.pixels[i] - b.pixels[i])) }
        #expect(worst <= 1.01 / 255)
    }

    @Test func sixteenBitTIFFInputGivesSixteenBitPNG() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let src = try ImageIO.read(path: Support.sample("kodim23.png"))
        var meta = src.metadata
        meta.format = .tiff; meta.bitDepth = 16
        try ImageIO.write(ImageFile(image: src.image, metadata: meta), to: dir + "/in16.tif", format: .tiff,
                          options: EncodeOptions(bitDepth: 16))
        try Self.command([dir + "/in16.tif", "-o", dir + "/o", "--format", "png"]).run(enhancer: try .fixed(settings: []))
        let b = try ImageIO.read(path: dir + "/o/in16.lux.png")
        #expect(b.metadata.bitDepth == 16)
        var worst: Float = 0
        for i in stride(from: 0, to: src.image.pixels.count, by: 5) { worst = max(worst, abs(src.image.pixels[i] - b.image.pixels[i])) }
        #expect(worst < 2.0 / 65535 + 1e-4)
    }

    @Test func displayP3ProfileIsHonouredWhenLinearising() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // P3-encoded (0.6, 0.4, 0.4): linear P3 (0.3185, 0.1329, 0.1329) -> linear sRGB (0.3603, 0.1251, 0.1292)
        // -> sRGB-encoded (0.6345, 0.3887, 0.3947). Ignoring the profile would leave (0.6, 0.4, 0.4).
        let n = 16 * 16
        let image = Image(width: 16, height: 16, channels: 3, colorSpace: .displayP3,
                          pixels: [Float](repeating: 0.6, count: n) + [Float](repeating: 0.4, count: 2 * n))
        let meta = ImageMetadata(format: .png, bitDepth: 16, iccProfile: ColorPipeline.iccProfile(for: .displayP3))
        try ImageIO.write(ImageFile(image: image, metadata: meta), to: dir + "/p3.png", format: .png, options: EncodeOptions(bitDepth: 16))
        try Self.command([dir + "/p3.png", "-o", dir, "--format", "png"]).run(enhancer: try .fixed(settings: []))
        let out = try ImageIO.read(path: dir + "/p3.lux.png").image
        let expected: [Float] = [0.6345, 0.3887, 0.3947]
        for c in 0..<3 { #expect(abs(out[8, 8, c] - expected[c]) < 0.004, "channel \(c): \(out[8, 8, c])") }
    }

    @Test func variantsWriteOneFilePerSeedWithSuffixedRecipes() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cmd = try Self.command([Support.sample("kodim23.jpg"), "-o", dir, "--variants", "2", "--seed", "7",
                                    "--recipe-out", dir + "/r.json"])
        let jobs = try cmd.plan()
        #expect(jobs.map(\.seed) == [7, 8])
        try cmd.run(enhancer: try .fixed(settings: ["contrast=0.2"]))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files == ["kodim23.lux.v1.jpg", "kodim23.lux.v2.jpg", "r.kodim23.v1.json", "r.kodim23.v2.json"])
    }

    @Test func severalPhotosIntoARecipeFolder() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cmd = try Self.command([Support.sample("kodim23.jpg"), Support.sample("kodim23.png"), "-o", dir + "/o",
                                    "--recipe-out", dir + "/recipes/"])
        // Both inputs are named kodim23: the second output would overwrite the first.
        #expect(throws: CLIError.self) { try cmd.plan() }
        let one = try Self.command([Support.sample("kodim23.png"), "-o", dir + "/o", "--steps-image", dir + "/steps/"])
        try one.run(enhancer: try .fixed(settings: ["exposure=-0.3"]))
        #expect(FileManager.default.fileExists(atPath: dir + "/steps/kodim23.lux.steps.png"))
    }

    @Test func existingOutputIsRefusedWithoutForce() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let args = [Support.sample("kodim23.jpg"), "-o", dir]
        try Self.command(args).run(enhancer: try .fixed(settings: []))
        #expect(throws: CLIError.outputExists(path: dir + "/kodim23.lux.jpg")) {
            try Self.command(args).run(enhancer: try .fixed(settings: []))
        }
        try Self.command(args + ["--force"]).run(enhancer: try .fixed(settings: []))
    }

    @Test func corruptInputIsOneErrorLineAndExitOne() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = dir + "/bad.jpg"
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]).write(to: URL(fileURLWithPath: bad))
        do {
            try Self.command([bad, "-o", dir + "/o"]).run(enhancer: try .fixed(settings: []))
            Issue.record("a corrupt JPEG was accepted")
        } catch {
            let (message, code) = LuxMain.classify(error)
            #expect(code == 1)
            #expect(!message.contains("\n") && message.contains("bad.jpg"))
        }
        let r = try Support.lux(["enhance", dir + "/missing.jpg", "-o", dir + "/o"])
        #expect(r.code == 1)
        #expect(r.stderrLines.count == 1 && r.stderrLines.first?.hasPrefix("lux: error:") == true)
    }

    /// `lux train agent --init M` starts from M's weights (0 iterations with another seed writes M's
    /// tensors back bit for bit) and refuses a model of another configuration with one error line.
    @Test func trainAgentInitStartsFromAModel() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for sub in ["inputs", "targets"] {
            try FileManager.default.createDirectory(atPath: "\(dir)/pairs/\(sub)", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Support.sample("kodim23.png"), toPath: "\(dir)/pairs/\(sub)/a.png")
        }
        let a = dir + "/a.safetensors", b = dir + "/b.safetensors", c = dir + "/c.safetensors"
        let base = ["train", "agent", "--pairs", dir + "/pairs", "--iterations", "0", "--base-channels", "4"]
        #expect(try Support.lux(base + ["--seed", "1", "--out", a]).code == 0)
        let r = try Support.lux(base + ["--seed", "2", "--init", a, "--out", b])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try SafeTensors.read(from: URL(fileURLWithPath: b)).tensors.map { $0.tensor.data } ==
                SafeTensors.read(from: URL(fileURLWithPath: a)).tensors.map { $0.tensor.data })
        #expect(try Support.lux(base + ["--seed", "2", "--out", c]).code == 0)
        #expect(try SafeTensors.read(from: URL(fileURLWithPath: c)).tensors.map { $0.tensor.data } !=
                SafeTensors.read(from: URL(fileURLWithPath: a)).tensors.map { $0.tensor.data })
        let bad = try Support.lux(["train", "agent", "--pairs", dir + "/pairs", "--iterations", "0", "--base-channels", "8",
                                   "--init", a, "--out", dir + "/d.safetensors"])
        #expect(bad.code != 0)
        #expect(bad.stderrLines.count == 1 && bad.stderrLines.first?.contains("--init") == true, "\(bad.stderr)")
    }

    /// An untrained model from `lux train agent --iterations 0` (tiny network), then `lux enhance --model`
    /// through the binary: the real agent, end to end.
    @Test func untrainedAgentModelEndToEnd() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for sub in ["inputs", "targets"] {
            try FileManager.default.createDirectory(atPath: "\(dir)/pairs/\(sub)", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Support.sample("kodim23.png"), toPath: "\(dir)/pairs/\(sub)/a.png")
        }
        let model = dir + "/m.safetensors"
        let train = try Support.lux(["train", "agent", "--pairs", dir + "/pairs", "--iterations", "0", "--base-channels", "4", "--out", model])
        #expect(train.code == 0, "\(train.stderr)")
        let input = Support.sample("kodim23.jpg")
        let before = try Self.fileHash(input)
        let r = try Support.lux(["enhance", input, "-o", dir + "/out", "--model", model, "--variants", "2", "--seed", "3",
                                 "--recipe-out", dir + "/r.json", "--steps-image", dir + "/steps/", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try Self.fileHash(input) == before)
        let results = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(results.count == 2)
        #expect(results.compactMap { $0["seed"] as? Int } == [3, 4])
        for (k, result) in results.enumerated() {
            let out = dir + "/out/kodim23.lux.v\(k + 1).jpg"
            #expect(result["output"] as? String == out)
            let image = try ImageIO.read(path: out).image
            #expect(image.width == 768 && image.height == 512)
            let recipe = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/r.kodim23.v\(k + 1).json"))) as? [String: Any]
            let steps = recipe?["steps"] as? [Any] ?? []
            // The strip has one tile for the input and one per step.
            let strip = try ImageIO.read(path: dir + "/steps/kodim23.lux.v\(k + 1).steps.png").image
            #expect(strip.width == 8 + (steps.count + 1) * (StepsImage.cell + 8))
        }
        let bad = try Support.lux(["enhance", input, "-o", dir + "/out2", "--model", dir + "/pairs/inputs/a.png"])
        #expect(bad.code == 1 && bad.stderrLines.count == 1)
    }

    @Test func agentWithoutModelFailsCleanlyOrEnhances() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Support.lux(["enhance", Support.sample("kodim23.jpg"), "-o", dir])
        if r.code == 0 {
            #expect(FileManager.default.fileExists(atPath: dir + "/kodim23.lux.jpg"))
        } else {
            #expect(r.code == 1)
            #expect(r.stderrLines.count == 1 && r.stderrLines.first?.hasPrefix("lux: error:") == true)
            #expect(!FileManager.default.fileExists(atPath: dir + "/kodim23.lux.jpg"))
        }
    }
}

@Suite("steps image")
struct StepsImageTests {
    @Test func glyphOneHasItsStemAndBase() {
        // "1": ..#.. / .##.. / ..#.. x4 / .###.
        #expect(BitmapFont.isInk("1", x: 2, y: 0))
        #expect(!BitmapFont.isInk("1", x: 0, y: 0))
        #expect(BitmapFont.isInk("1", x: 1, y: 1))
        #expect((0..<5).filter { BitmapFont.isInk("1", x: $0, y: 6) } == [1, 2, 3])
        #expect(BitmapFont.glyph("e") == BitmapFont.glyph("E"))
        var ink: [[Int]] = []
        BitmapFont.draw("-", x: 10, y: 20, scale: 2) { ink.append([$0, $1]) }
        // "-" is row 3 fully set: 5 x 1 font pixels, 2x2 each, at y = 20 + 6, 27.
        #expect(ink.count == 20)
        #expect(Set(ink.map { $0[1] }) == [26, 27])
        #expect(ink.map { $0[0] }.min() == 10 && ink.map { $0[0] }.max() == 19)
        #expect(BitmapFont.width(of: "AB") == 11)
    }

    @Test func stripHasTilesAndInkedLabels() throws {
        let thumbs = [Image(width: 64, height: 32, fill: 0.18), Image(width: 64, height: 32, fill: 0.5)]
        let enhancer = try Enhancer.fixed(settings: ["exposure=+0.7"])
        let result = enhancer.enhance(Image(width: 64, height: 32, fill: 0.18), nil)
        #expect(StepsImage.labels(for: result.recipe) == ["input", "exposure +0.70"])
        #expect(result.thumbnails.count == 2)
        let strip = StepsImage.render(thumbnails: thumbs, recipe: result.recipe)
        #expect(strip.width == 8 + 2 * 136 && strip.height == 8 + 128 + StepsImage.labelHeight)
        // Tile 1 centre: 0.18 linear -> sRGB ~0.461; tile 2: 0.5 -> ~0.735.
        #expect(abs(strip[8 + 64, 8 + 64, 0] - 0.461) < 0.01)
        #expect(abs(strip[8 + 136 + 64, 8 + 64, 1] - 0.735) < 0.01)
        // Above and below the 64x32 thumbnail (scaled 2x to 128x64) is background.
        #expect(abs(strip[8 + 64, 10, 0] - StepsImage.background) < 1e-6)
        // Label rows hold ink pixels.
        var inked = 0
        for y in (8 + 128)..<strip.height { for x in 0..<strip.width where strip[x, y, 0] == StepsImage.ink { inked += 1 } }
        #expect(inked > 50)
    }
}
