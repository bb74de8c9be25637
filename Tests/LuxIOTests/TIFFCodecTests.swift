import Foundation
import LuxImage
import Testing
@testable import LuxIO

@Suite struct TIFFCodecTests {
    @Test(arguments: ["A", "B", "C", "D", "E", "F", "G", "H"]) func decodesFiveKSample(_ name: String) throws {
        guard let data = CodecFixtures.bytes("fivek-samples/\(name).tif") else {
            print("skipped: ../shared/data/fivek-samples/\(name).tif not found"); return
        }
        #expect(ImageIO.detectFormat(data) == .tiff)
        let f = try TIFFCodec.decode(data, path: name, options: DecodeOptions())
        let eightBit = name == "F" || name == "G"  // 8-bit exports at 1000 px, the rest 500x333
        #expect(max(f.image.width, f.image.height) == (eightBit ? 1000 : 500))
        #expect(f.metadata.bitDepth == (eightBit ? 8 : 16))
        let icc = try #require(f.metadata.iccProfile, "the Lightroom export embeds a ProPhoto ICC profile")
        #expect(icc.count > 128 && Array(icc[36..<40]) == Array("acsp".utf8))  // ICC signature
        #expect(f.image.colorSpace == .proPhoto)
        let px = f.image.pixels
        #expect(px.allSatisfy { $0 >= 0 && $0 <= 1 })
        let mean = px.reduce(0, +) / Float(px.count)
        #expect(mean > 0.05 && mean < 0.95)
        #expect(Set(px.prefix(5000)).count > 50)  // real image content, not a constant
    }

    /// A 16-bit sample agrees with an independent decode (ImageMagick's view of A.tif, 8-bit PPM).
    @Test func agreesWithReferenceDecoder() throws {
        guard let path = CodecFixtures.path("fivek-samples/A.tif") else { print("skipped: A.tif not found"); return }
        let ppm = FileManager.default.temporaryDirectory.appendingPathComponent("lux-a-\(getpid()).ppm").path
        defer { unlink(ppm) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/convert")
        p.arguments = [path, "-depth", "8", ppm]
        guard (try? p.run()) != nil else { print("skipped: ImageMagick convert not available"); return }
        p.waitUntilExit()
        let ref = try #require(FileManager.default.contents(atPath: ppm).map { [UInt8]($0) })
        let img = try TIFFCodec.decode(try #require(CodecFixtures.bytes("fivek-samples/A.tif")), path: "A", options: DecodeOptions()).image
        let payload = Array(ref.suffix(img.width * img.height * 3))
        var worst: Float = 0
        for i in stride(from: 0, to: img.width * img.height, by: 97) {
            for c in 0..<3 { worst = max(worst, abs(Float(payload[i * 3 + c]) / 255 - img.pixels[c * img.planeCount + i])) }
        }
        #expect(worst <= 1.0 / 255 + 1e-4)
    }

    static func testImage(channels: Int) -> Image {
        var img = Image(width: 23, height: 17, channels: channels, colorSpace: .sRGB)
        for i in 0..<img.pixels.count { img.pixels[i] = Float((i * 7919) % 1000) / 999 }
        return img
    }

    @Test(arguments: [8, 16, 32]) func roundTrip(bits: Int) throws {
        for ch in [3, 4] {
            var img = Self.testImage(channels: ch)
            if bits == 32 { img.pixels[0] = 7.5; img.pixels[1] = -0.25; img.colorSpace = .working }  // float keeps any value
            let icc = [UInt8](repeating: 0, count: 36) + Array("acsp".utf8) + [UInt8](repeating: 7, count: 88)
            let file = ImageFile(image: img, metadata: ImageMetadata(format: .tiff, bitDepth: bits, iccProfile: icc))
            let data = try TIFFCodec.encode(file, options: EncodeOptions(bitDepth: bits))
            let back = try TIFFCodec.decode(data, path: "rt.tif", options: DecodeOptions())
            #expect(back.metadata.bitDepth == bits && back.metadata.isFloat == (bits == 32))
            #expect(back.metadata.iccProfile == icc)
            #expect(back.image.channels == ch && back.image.width == 23 && back.image.height == 17)
            let tol: Float = bits == 8 ? 0.5 / 255 + 1e-6 : bits == 16 ? 0.5 / 65535 + 1e-7 : 0
            let worst = zip(img.pixels, back.image.pixels).map { abs($0 - $1) }.max()!
            #expect(worst <= tol, "\(bits)-bit, \(ch) channels: error \(worst)")
        }
    }

    /// Uncompressed 16-bit RGB in 16x16 tiles with separate planes (built byte by byte).
    @Test func readsTiledSeparatePlanes() throws {
        let w = 20, h = 18, tile = 16
        func value(_ x: Int, _ y: Int, _ c: Int) -> UInt16 { UInt16((x * 1000 + y * 37 + c * 20000) % 65536) }
        var t = MiniTIFF()
        t.offsetsTag = 324; t.countsTag = 325
        t.entries = [256: .long([UInt32(w)]), 257: .long([UInt32(h)]), 258: .short([16, 16, 16]), 259: .short([1]),
                     262: .short([2]), 277: .short([3]), 284: .short([2]), 322: .long([UInt32(tile)]), 323: .long([UInt32(tile)])]
        for c in 0..<3 {
            for ty in stride(from: 0, to: h, by: tile) {
                for tx in stride(from: 0, to: w, by: tile) {
                    var block = [UInt8]()
                    for y in 0..<tile { for x in 0..<tile {
                        let v = (tx + x < w && ty + y < h) ? value(tx + x, ty + y, c) : 0
                        block += MiniTIFF.le16(v)
                    } }
                    t.blocks.append(block)
                }
            }
        }
        let f = try TIFFCodec.decode(t.build(), path: "tiled.tif", options: DecodeOptions())
        #expect(f.image.width == w && f.image.height == h && f.image.channels == 3)
        var worst: Float = 0
        for y in 0..<h { for x in 0..<w { for c in 0..<3 {
            worst = max(worst, abs(f.image[x, y, c] - Float(value(x, y, c)) / 65535))
        } } }
        #expect(worst < 1e-6)
    }

    /// Orientation 6 (rotate 90 degrees clockwise to display) on an 8-bit grey 3x2 strip image.
    @Test func appliesOrientation() throws {
        var t = MiniTIFF()
        // Stored rows: [10 20 30] / [40 50 60]
        t.entries = [256: .long([3]), 257: .long([2]), 258: .short([8]), 259: .short([1]), 262: .short([1]),
                     274: .short([6]), 277: .short([1]), 278: .long([2])]
        t.blocks = [[10, 20, 30, 40, 50, 60]]
        let f = try TIFFCodec.decode(t.build(), path: "o6.tif", options: DecodeOptions())
        #expect(f.image.width == 2 && f.image.height == 3)
        #expect(f.metadata.orientation == 1 && f.metadata.originalOrientation == 6)
        // Rotated clockwise: rows [40 10] / [50 20] / [60 30].
        let expected: [[Float]] = [[40, 10], [50, 20], [60, 30]]
        for y in 0..<3 { for x in 0..<2 { for c in 0..<3 { #expect(abs(f.image[x, y, c] * 255 - expected[y][x]) < 1e-3) } } }
        let raw = try TIFFCodec.decode(t.build(), path: "o6.tif", options: DecodeOptions(applyOrientation: false))
        #expect(raw.image.width == 3 && raw.metadata.orientation == 6)
    }

    @Test func rejectsBadInput() throws {
        let good = try TIFFCodec.encode(ImageFile(image: Self.testImage(channels: 3), metadata: ImageMetadata(format: .tiff, bitDepth: 16)),
                                        options: EncodeOptions(bitDepth: 16))
        #expect(throws: ImageIOError.self) { try TIFFCodec.decode(good.prefix(good.count / 2), path: "half.tif", options: DecodeOptions()) }
        var t = MiniTIFF()
        t.entries = [256: .long([100000]), 257: .long([100000]), 258: .short([8, 8, 8]), 259: .short([1]), 262: .short([2]),
                     277: .short([3]), 278: .long([100000])]
        t.blocks = [[UInt8](repeating: 0, count: 64)]
        #expect(throws: ImageIOError.tooLarge(path: "huge.tif", width: 100000, height: 100000, limit: DecodeOptions.defaultMaxPixels)) {
            try TIFFCodec.decode(t.build(), path: "huge.tif", options: DecodeOptions())
        }
        let garbage = Data([0x49, 0x49, 0x2A, 0x00]) + Data((0..<400).map { UInt8(truncatingIfNeeded: $0 &* 53 &+ 11) })
        #expect(throws: ImageIOError.self) { try TIFFCodec.decode(garbage, path: "junk.tif", options: DecodeOptions()) }
        // Signed 16-bit samples: a layout Lux refuses with a clear message.
        var s = MiniTIFF()
        s.entries = [256: .long([2]), 257: .long([1]), 258: .short([16]), 259: .short([1]), 262: .short([1]), 277: .short([1]),
                     339: .short([2])]
        s.blocks = [[0, 0, 0, 0]]
        do {
            _ = try TIFFCodec.decode(s.build(), path: "signed.tif", options: DecodeOptions())
            Issue.record("signed samples must be refused")
        } catch let e as ImageIOError {
            #expect(e.description.contains("unsupported"))
        }
    }
}
