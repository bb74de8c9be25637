import Foundation
import LuxImage
import Testing
@testable import LuxIO

@Suite struct PNGCodecTests {
    /// An image whose samples are exactly representable at `levels` (255 or 65535).
    static func quantizedImage(width: Int, height: Int, channels: Int, levels: Int) -> Image {
        var img = Image(width: width, height: height, channels: channels, colorSpace: .sRGB)
        var state: UInt32 = 12345
        for i in img.pixels.indices {
            state = state &* 1_664_525 &+ 1_013_904_223
            img.pixels[i] = Float(Int(state >> 8) % (levels + 1)) / Float(levels)
        }
        return img
    }

    @Test func roundTrip8BitExact() throws {
        for ch in [3, 4] {
            let img = Self.quantizedImage(width: 37, height: 23, channels: ch, levels: 255)
            let data = try PNGCodec.encode(ImageFile(image: img, metadata: ImageMetadata(format: .png, bitDepth: 8)),
                                           options: EncodeOptions(bitDepth: 8))
            let back = try PNGCodec.decode(data, path: "a.png", options: DecodeOptions())
            #expect(back.image.channels == ch && back.metadata.bitDepth == 8)
            #expect(back.image.pixels == img.pixels)
        }
    }

    @Test func roundTrip16BitExact() throws {
        for ch in [3, 4] {
            let img = Self.quantizedImage(width: 29, height: 31, channels: ch, levels: 65535)
            let data = try PNGCodec.encode(ImageFile(image: img, metadata: ImageMetadata(format: .png, bitDepth: 16)),
                                           options: EncodeOptions(bitDepth: 16))
            let back = try PNGCodec.decode(data, path: "b.png", options: DecodeOptions())
            #expect(back.image.channels == ch && back.metadata.bitDepth == 16)
            #expect(back.image.pixels == img.pixels)
        }
    }

    @Test func iccAndExifSurvive() throws {
        let icc = CodecFixtures.iccProfile(padding: 1000)
        let exif = EXIF.make(orientation: 3, make: "LuxCam", model: "P1")
        let img = Self.quantizedImage(width: 8, height: 5, channels: 3, levels: 255)
        let file = ImageFile(image: img, metadata: ImageMetadata(format: .png, bitDepth: 8, iccProfile: icc, exif: exif))
        let data = try PNGCodec.encode(file, options: EncodeOptions())
        let back = try PNGCodec.decode(data, path: "m.png", options: DecodeOptions())
        #expect(back.metadata.iccProfile == icc)
        #expect(back.metadata.exif == EXIF.settingOrientation(exif, to: 1))
        #expect(back.metadata.cameraModel == "P1")
        #expect(back.image.pixels == img.pixels) // orientation was written as 1: no rotation
        let probed = try PNGCodec.probe(data, path: "m.png")
        #expect(probed.width == 8 && probed.height == 5 && probed.metadata.iccProfile == icc)
    }

    @Test func colourTypesMatchImageMagick() throws {
        guard let url = CodecFixtures.kodim01 else { print("skipped: ../shared/data absent"); return }
        let dir = CodecFixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let variants: [(String, [String])] = [
            ("gray.png", ["-colorspace", "Gray", "-depth", "8"]),
            ("pal.png", ["-colors", "16"]),
            ("graya.png", ["-colorspace", "Gray", "-alpha", "set", "-channel", "A", "-evaluate", "set", "50%", "+channel"]),
            ("rgb16.png", ["-depth", "16"]),
        ]
        for (name, args) in variants {
            let path = dir.appendingPathComponent(name).path
            let out = name == "pal.png" ? "PNG8:" + path : (name == "graya.png" ? "PNG32:" + path : path)
            guard CodecFixtures.convert([url.path] + args + [out]) != nil,
                  let ref = CodecFixtures.convert([path, "-depth", "8", "rgb:-"])
            else { print("skipped: ImageMagick convert not available"); return }
            let f = try ImageIO.read(path: path)
            #expect(f.image.width == 768 && f.image.height == 512)
            let n = f.image.planeCount
            #expect(ref.count == 3 * n)
            var maxDiff = 0
            ref.withUnsafeBytes { r in
                for i in stride(from: 0, to: n, by: 7) {
                    for c in 0..<3 {
                        let v = Int((f.image.pixels[c * n + i] * 255).rounded())
                        maxDiff = max(maxDiff, abs(v - Int(r[3 * i + c])))
                    }
                }
            }
            #expect(maxDiff <= 1, "\(name): max difference \(maxDiff)/255 against ImageMagick")
        }
    }

    @Test func truncatedAndCorrupt() throws {
        guard let url = CodecFixtures.kodim01 else { print("skipped: ../shared/data absent"); return }
        let data = try Data(contentsOf: url)
        do {
            _ = try PNGCodec.decode(data.prefix(data.count / 2), path: "half.png", options: DecodeOptions())
            Issue.record("truncated PNG decoded without error")
        } catch let e as ImageIOError {
            guard case .truncated = e else { Issue.record("expected .truncated, got \(e)"); return }
        }
        var bad = data
        bad[40] ^= 0xFF // inside the first chunk after IHDR or the CRC of IHDR: damages a checksum
        bad[29] ^= 0xFF // IHDR CRC
        #expect(throws: ImageIOError.self) { _ = try PNGCodec.decode(bad, path: "bad.png", options: DecodeOptions()) }
    }

    @Test func emptyAndHugeHeader() throws {
        #expect(throws: ImageIOError.emptyFile(path: "e.png")) {
            _ = try PNGCodec.decode(Data(), path: "e.png", options: DecodeOptions())
        }
        // Signature + IHDR claiming 100000 x 100000 RGB 8-bit, no image data at all.
        func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
        let bytes = PNGCodec.signature + be32(13) + Array("IHDR".utf8) + be32(100_000) + be32(100_000)
            + [8, 2, 0, 0, 0] + be32(0)
        #expect(throws: ImageIOError.tooLarge(path: "bomb.png", width: 100_000, height: 100_000, limit: DecodeOptions.defaultMaxPixels)) {
            _ = try PNGCodec.decode(Data(bytes), path: "bomb.png", options: DecodeOptions())
        }
    }

    @Test func pngNamedJpgIsReadAsPNG() throws {
        let dir = CodecFixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let img = Self.quantizedImage(width: 12, height: 9, channels: 3, levels: 255)
        let path = dir.appendingPathComponent("actually-png.jpg").path
        try ImageIO.write(ImageFile(image: img, metadata: ImageMetadata(format: .png, bitDepth: 8)), to: path, format: .png)
        let back = try ImageIO.read(path: path)
        #expect(back.metadata.format == .png)
        #expect(back.image.pixels == img.pixels)
    }
}
