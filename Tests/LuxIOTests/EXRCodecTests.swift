import Foundation
import LuxImage
import Testing
@testable import LuxIO

@Suite struct EXRCodecTests {
    static let samples = ["Bonita", "Cannon", "Carrots", "Desk", "KernerEnvLatLong", "Rec709", "StageEnvLatLong",
                          "city", "courtyard", "forest", "frobisher_IMG_2601_Blend", "interior", "night", "studio", "sunrise", "sunset"]

    @Test(arguments: samples) func decodesSample(_ name: String) throws {
        guard let data = CodecFixtures.bytes("hdr/\(name).exr") else {
            print("skipped: ../shared/data/hdr/\(name).exr not found"); return
        }
        #expect(ImageIO.detectFormat(data) == .exr)
        let (w, h, meta) = try EXRCodec.probe(data, path: name)
        let f = try EXRCodec.decode(data, path: name, options: DecodeOptions())
        #expect(f.image.width == w && f.image.height == h && w > 0 && h > 0)
        #expect(meta.bitDepth == 16 || meta.bitDepth == 32)
        #expect(f.image.colorSpace == .working)
        let rgb = f.image.rgb().pixels
        let finite = rgb.filter { $0.isFinite }
        #expect(finite.count == rgb.count, "\(rgb.count - finite.count) non-finite samples")
        let mean = finite.reduce(0, +) / Float(finite.count)
        #expect(mean > 1e-4 && mean < 1e4, "mean \(mean)")
        // Every plane was written (the buffer starts as zeros): no all-zero channel in a real photo.
        for c in 0..<3 {
            let plane = f.image.pixels[(c * w * h)..<((c + 1) * w * h)]
            #expect(plane.contains { $0 > 0 }, "channel \(c) is empty")
        }
    }

    /// The core-library path (scanline ZIP, tiled ZIP, PIZ, B44) against the C++ library's RGBA
    /// interface (the DWA path) on the same file: two independent decoders must agree.
    @Test(arguments: ["Bonita", "KernerEnvLatLong", "Desk", "Cannon"]) func coreAgreesWithRgbaInterface(_ name: String) throws {
        guard let data = CodecFixtures.bytes("hdr/\(name).exr") else {
            print("skipped: ../shared/data/hdr/\(name).exr not found"); return
        }
        let core = try EXRCodec.decode(data, path: name, options: DecodeOptions()).image
        let other = try EXRCodec.decodeWithRgbaInterface(data, path: name, width: core.width, height: core.height, bitDepth: 16).image
        #expect(core.channels == other.channels)
        var worst: Float = 0
        for (a, b) in zip(core.pixels, other.pixels) where a.isFinite { worst = max(worst, abs(a - b) / max(abs(a), 1e-3)) }
        #expect(worst < 1e-3, "largest relative difference \(worst)")
    }

    static func testImage(channels: Int) -> Image {
        var img = Image(width: 37, height: 21, channels: channels)
        for i in 0..<img.pixels.count { img.pixels[i] = Float(i % 97) * 0.173 - 2 + Float(i % 5) * 1e-3 }
        img.pixels[5] = 60000
        return img
    }

    @Test func floatRoundTripIsExact() throws {
        for ch in [3, 4] {
            let img = Self.testImage(channels: ch)
            let data = try EXRCodec.encode(ImageFile(image: img, metadata: ImageMetadata(format: .exr, bitDepth: 32)), options: EncodeOptions(bitDepth: 32))
            #expect(ImageIO.detectFormat(data) == .exr)
            let back = try EXRCodec.decode(data, path: "rt.exr", options: DecodeOptions())
            #expect(back.image.channels == ch)
            #expect(back.image.pixels == img.pixels)
            #expect(back.metadata.bitDepth == 32)
        }
    }

    @Test func halfRoundTripWithinHalfPrecision() throws {
        let img = Self.testImage(channels: 4)
        let data = try EXRCodec.encode(ImageFile(image: img, metadata: ImageMetadata(format: .exr, bitDepth: 16)), options: EncodeOptions(bitDepth: 16))
        let back = try EXRCodec.decode(data, path: "rt.exr", options: DecodeOptions())
        #expect(back.metadata.bitDepth == 16)
        for (a, b) in zip(img.pixels, back.image.pixels) {
            // half: 11-bit significand, relative error <= 2^-11; subnormals below 6.1e-5 absolute.
            #expect(abs(a - b) <= max(abs(a) * 0.000_489, 6.2e-5), "\(a) -> \(b)")
        }
    }

    /// A luminance-only file (channel Y) decodes to grey RGB. Made by renaming channel R of a
    /// written file to Y in the header (B, G, Y stays sorted, as EXR requires).
    @Test func readsLuminanceOnlyAsGrey() throws {
        let img = Self.testImage(channels: 3)
        var bytes = [UInt8](try EXRCodec.encode(ImageFile(image: img, metadata: ImageMetadata(format: .exr, bitDepth: 32)),
                                                 options: EncodeOptions(bitDepth: 32)))
        let key = Array("channels\0chlist\0".utf8)
        let at = try #require((0..<(bytes.count - key.count)).first { Array(bytes[$0..<($0 + key.count)]) == key })
        let list = at + key.count + 4  // after the attribute size
        // Entries: name\0, type(4), pLinear+reserved(4), xSampling(4), ySampling(4) = name + 17 bytes.
        let r = try #require((list..<(list + 3 * 18)).first { bytes[$0] == UInt8(ascii: "R") && bytes[$0 + 1] == 0 })
        bytes[r] = UInt8(ascii: "Y")
        let back = try EXRCodec.decode(Data(bytes), path: "y.exr", options: DecodeOptions()).image
        let n = img.planeCount
        for c in 0..<3 { #expect(Array(back.pixels[(c * n)..<((c + 1) * n)]) == Array(img.pixels[0..<n])) }
    }

    @Test func rejectsBadInput() throws {
        let img = Self.testImage(channels: 3)
        let good = try EXRCodec.encode(ImageFile(image: img, metadata: ImageMetadata(format: .exr, bitDepth: 16)), options: EncodeOptions(bitDepth: 16))
        #expect(throws: ImageIOError.self) { try EXRCodec.decode(good.prefix(good.count / 2), path: "half.exr", options: DecodeOptions()) }
        // Garbage after the magic number.
        let garbage = Data([0x76, 0x2F, 0x31, 0x01]) + Data((0..<300).map { UInt8(truncatingIfNeeded: $0 &* 91 &+ 7) })
        #expect(throws: ImageIOError.self) { try EXRCodec.decode(garbage, path: "junk.exr", options: DecodeOptions()) }
        // Header claiming 100000 x 100000: patch the dataWindow attribute's max corner.
        var bytes = [UInt8](good)
        let key = Array("dataWindow\0box2i\0".utf8)
        let at = try #require((0..<(bytes.count - key.count)).first { Array(bytes[$0..<($0 + key.count)]) == key })
        let maxCorner = at + key.count + 4 + 8
        for (k, v) in [99999, 99999].enumerated() {
            for b in 0..<4 { bytes[maxCorner + 4 * k + b] = UInt8((v >> (8 * b)) & 0xFF) }
        }
        #expect(throws: ImageIOError.tooLarge(path: "huge.exr", width: 100000, height: 100000, limit: DecodeOptions.defaultMaxPixels)) {
            try EXRCodec.decode(Data(bytes), path: "huge.exr", options: DecodeOptions())
        }
    }
}
