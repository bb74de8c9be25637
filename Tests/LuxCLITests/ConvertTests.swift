import Foundation
import LuxColor
import LuxImage
import LuxIO
import Testing
@testable import LuxCLI

/// End-to-end conversions through the built `lux` binary (need the codecs of branch codecs-a).
@Suite(.enabled(if: ImageIO.codec(for: .png) != nil && ImageIO.codec(for: .jpeg) != nil, "needs the PNG and JPEG codecs (branch codecs-a)"))
struct ConvertTests {
    static func mean(_ image: Image) -> Double { image.pixels.reduce(0.0) { $0 + Double($1) } / Double(image.pixels.count) }

    @Test func png_named_jpg_converts_to_jpeg_close_to_the_original() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: Support.sample("kodim23.png"), toPath: dir + "/photo.jpg")
        let r = try Support.lux(["convert", dir + "/photo.jpg", dir + "/out/photo-q95.jpg", "--quality", "95"])
        #expect(r.code == 0 && r.stderr.isEmpty, "stderr: \(r.stderr)")
        let original = try ImageIO.read(path: Support.sample("kodim23.png"))
        let converted = try ImageIO.read(path: dir + "/out/photo-q95.jpg")
        #expect(converted.metadata.format == .jpeg)
        #expect(converted.image.width == 768 && converted.image.height == 512)
        #expect(abs(Self.mean(original.image) - Self.mean(converted.image)) < 0.01)
        var sq = 0.0
        for i in original.image.rgb().pixels.indices { let d = Double(original.image.pixels[i] - converted.image.pixels[i]); sq += d * d }
        let psnr = 10 * log10(1 / (sq / Double(original.image.rgb().pixels.count)))
        #expect(psnr > 32, "PSNR \(psnr) dB")
    }

    @Test func batch_to_folder_with_json_and_force() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Support.lux(["convert", Support.packageRoot.appendingPathComponent("Samples").path, "-o", dir + "/o", "--format", "png", "--json"])
        #expect(r.code == 1, "both samples are named kodim23: a collision must be refused; stderr: \(r.stderr)")
        #expect(r.stderr.contains("several inputs would be written to this same output"))
        let r2 = try Support.lux(["convert", Support.sample("kodim23.jpg"), "-o", dir + "/o", "--format", "png", "--json"])
        #expect(r2.code == 0, "stderr: \(r2.stderr)")
        let results = try JSONDecoder().decode([ConvertCommand.Result].self, from: Data(r2.stdout.utf8))
        #expect(results.count == 1 && results[0].output == dir + "/o/kodim23.png" && results[0].colorRoute == "keepEncoding")
        #expect(try ImageIO.probe(path: dir + "/o/kodim23.png").width == 768)
        let again = try Support.lux(["convert", Support.sample("kodim23.jpg"), "-o", dir + "/o", "--format", "png"])
        #expect(again.code == 1)
        let forced = try Support.lux(["convert", Support.sample("kodim23.jpg"), "-o", dir + "/o", "--format", "png", "--force"])
        #expect(forced.code == 0)
        #expect(forced.stderr == "[1/1] \(Support.sample("kodim23.jpg")) -> \(dir)/o/kodim23.png\n")
        #expect(Support.visibleFiles(dir + "/o") == ["kodim23.png"])
    }

    @Test func max_pixels_refuses_a_normal_image() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Support.lux(["convert", Support.sample("kodim23.png"), dir + "/o.png", "--max-pixels", "1000"])
        #expect(r.code == 1)
        #expect(r.stderr.contains("768x512 = 393216 pixels exceeds the limit of 1000 pixels"), "stderr: \(r.stderr)")
        #expect(!Support.exists(dir + "/o.png"))
    }

    @Test func sixteen_bit_png_keeps_its_depth() throws {
        guard let data = Support.dataDir else { Issue.record("../shared/data missing"); return }
        let input = data.appendingPathComponent("fivek-linear").path
        let first = try BatchInputs.expand([input]).first!
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Support.lux(["convert", first, dir + "/x.png"])
        #expect(r.code == 0, "stderr: \(r.stderr)")
        #expect(try ImageIO.probe(path: dir + "/x.png").metadata.bitDepth == 16)
    }

    @Test(.enabled(if: ImageIO.codec(for: .exr) != nil, "needs the EXR codec (branch codecs-b)"))
    func exr_to_jpeg_is_encoded_as_srgb_with_a_profile() throws {
        guard let data = Support.dataDir else { Issue.record("../shared/data missing"); return }
        let input = data.appendingPathComponent("hdr/Bonita.exr").path
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Support.lux(["convert", input, dir + "/b.jpg", "--json"])
        #expect(r.code == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("\"colorRoute\" : \"encodeSRGB\""))
        let out = try ImageIO.read(path: dir + "/b.jpg")
        #expect(out.metadata.iccProfile.flatMap { try? ICCProfile(bytes: $0).knownSpace } == .sRGB)
        // Same picture: the EXR's linear values, clipped and sRGB-encoded, match the JPEG on average.
        let exr = try ImageIO.read(path: input)
        var linear = try ColorPipeline.toWorking(exr.image.rgb(), iccProfile: nil)
        for i in linear.pixels.indices { linear.pixels[i] = min(max(linear.pixels[i], 0), 1) }
        let expected = ColorPipeline.fromWorking(linear, to: .sRGB)
        #expect(abs(Self.mean(expected) - Self.mean(out.image.rgb())) < 0.02)
    }

    @Test func batch_goes_on_after_a_bad_file_and_exits_1() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Support.sample("kodim23.jpg"), toPath: dir + "/in/a.jpg")
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: dir + "/in/b.jpg"))
        try FileManager.default.copyItem(atPath: Support.sample("kodim23.png"), toPath: dir + "/in/c.png")
        let r = try Support.lux(["convert", dir + "/in", "-o", dir + "/out", "--format", "png"])
        #expect(r.code == 1)
        #expect(Support.visibleFiles(dir + "/out") == ["a.png", "c.png"])
        let errors = r.stderrLines.filter { $0.hasPrefix("lux: error: ") }
        #expect(errors == ["lux: error: \(dir)/in/b.jpg: unsupported format (content is not JPEG, PNG, TIFF, camera RAW, Radiance HDR or OpenEXR)",
                           "lux: error: 1 of 3 files failed"], "stderr: \(r.stderr)")
        #expect(r.stderrLines.count == 5, "3 progress lines + 2 error lines; stderr: \(r.stderr)")
    }
}
