import Foundation
import Testing
@testable import LuxCLI
import LuxImage
import LuxIO

/// `lux reexpose` / `lux hdr` / `lux train hdr`: option parsing and end-to-end runs with the embedded model.
@Suite("lux reexpose and lux hdr")
struct ReexposeCommandTests {
    /// An 8-bit sRGB PNG; codes from `f(x, y, c)` in 0...255.
    static func writePNG(_ path: String, _ w: Int, _ h: Int, _ f: (Int, Int, Int) -> Int) throws {
        var px = [Float](repeating: 0, count: 3 * w * h)
        for c in 0..<3 { for y in 0..<h { for x in 0..<w { px[(c * h + y) * w + x] = Float(f(x, y, c)) / 255 } } }
        let img = Image(width: w, height: h, channels: 3, colorSpace: .sRGB, pixels: px)
        try ImageIO.write(ImageFile(image: img, metadata: ImageMetadata(format: .png, bitDepth: 8)), to: path, format: .png)
    }

    static func srgbDecode(_ v: Float) -> Double {
        let x = Double(v)
        return x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4)
    }

    @Test func negativeEVsAndBracketsParse() throws {
        let one = try ReexposeCommand.parse(["a.jpg", "--ev", "-1", "-o", "b.jpg"])
        #expect(try HDRPipeline.parseEVs(one.ev) == [-1])
        let list = try ReexposeCommand.parse(["a.jpg", "--ev", "-2,0,+2", "--ev", "-0.5"])
        #expect(try HDRPipeline.parseEVs(list.ev) == [-2, 0, 2, -0.5])
        #expect(try HDRPipeline.parseEVs(["+1.5"]) == [1.5])
        #expect(throws: CLIError.self) { try HDRPipeline.parseEVs(["-1,x"]) }
        #expect(throws: (any Error).self) { try ReexposeCommand.parse(["a.jpg"]) }   // --ev is required
        #expect(LuxMain.run(["reexpose", "a.jpg", "--ev", "--tonemap"]) == 2)
        #expect(HDRPipeline.evLabel(-1) == "-1.0" && HDRPipeline.evLabel(1.5) == "+1.5")
        #expect(try HDRPipeline.parseCRF("file") == nil && (try HDRPipeline.parseCRF("sqrt")) == .gamma(2))
        #expect(throws: CLIError.self) { try HDRPipeline.parseCRF("cubic") }
    }

    @Test func reexposeIsIdentityAtZeroAndHalvesAtMinusOneWithoutClipping() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in.png"
        try Self.writePNG(input, 64, 40) { x, y, c in 20 + (x * 3 + y * 2 + c * 17) % 200 }   // max code 219: nothing clipped
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        #expect(LuxMain.run(["reexpose", input, "--ev", "0", "-o", dir + "/same.png"]) == 0)
        let a = try ImageIO.read(path: input).image, b = try ImageIO.read(path: dir + "/same.png").image
        #expect(zip(a.pixels, b.pixels).allSatisfy { abs($0 - $1) <= 0.5 / 255 })

        #expect(LuxMain.run(["reexpose", input, "--ev", "-1,+1", "-o", dir + "/br.png"]) == 0)
        let half = try ImageIO.read(path: dir + "/br.ev-1.0.png").image
        #expect(FileManager.default.fileExists(atPath: dir + "/br.ev+1.0.png"))
        var worst = 0.0
        for i in 0..<a.pixels.count {
            let want = Self.srgbDecode(a.pixels[i]) / 2, got = Self.srgbDecode(half.pixels[i])
            worst = max(worst, abs(got - want) / max(want, 0.01))
        }
        #expect(worst < 0.03, "relative linear error \(worst)")
        // Never the input; never an existing file without --force.
        #expect(LuxMain.run(["reexpose", input, "--ev", "1", "-o", input]) == 1)
        #expect(LuxMain.run(["reexpose", input, "--ev", "1", "-o", dir + "/same.png"]) == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
    }

    @Test func hdrWritesARadianceMapBrighterThanTheClipInClippedRegions() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in.png"
        // A blown disc (255) on a mid-grey ramp.
        try Self.writePNG(input, 96, 64) { x, y, _ in (x - 48) * (x - 48) + (y - 32) * (y - 32) < 144 ? 255 : 60 + x }
        #expect(LuxMain.run(["hdr", input, "-o", dir + "/m.exr"]) == 0)
        #expect(LuxMain.run(["hdr", input, "-o", dir + "/m.jpg"]) == 2)          // not a float format, no --tonemap
        #expect(LuxMain.run(["hdr", input, "--tonemap", "filmic", "-o", dir + "/t.jpg"]) == 0)
        let src = try ImageIO.read(path: input).image, map = try ImageIO.read(path: dir + "/m.exr").image
        let n = src.planeCount, w = 96
        // Unclipped pixels: linearised input times one common gain.
        let gain = Double(map.pixels[10 * w + 5]) / Self.srgbDecode(src.pixels[10 * w + 5])
        for i in stride(from: 0, to: n, by: 7) where src.pixels[i] < 0.8 {
            #expect(abs(Double(map.pixels[i]) - Self.srgbDecode(src.pixels[i]) * gain) <= 1e-4 * gain)
        }
        // The centre of the blown disc: above the clipping level (1 x gain).
        #expect(Double(map.pixels[32 * w + 48]) > 1.05 * gain)
        #expect(gain > 0.999)   // the normalisation never darkens
    }
}
