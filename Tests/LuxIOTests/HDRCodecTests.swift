import Foundation
import LuxImage
import Testing
@testable import LuxIO

@Suite struct HDRCodecTests {
    @Test func decodesGraceCathedral() throws {
        guard let data = CodecFixtures.bytes("hdr/Grace_Cathedral.hdr") else {
            print("skipped: ../shared/data/hdr/Grace_Cathedral.hdr not found"); return
        }
        #expect(ImageIO.detectFormat(data) == .hdr)
        let f = try HDRCodec.decode(data, path: "grace.hdr", options: DecodeOptions())
        #expect(f.image.width == 500 && f.image.height == 250)
        #expect(f.image.colorSpace == .working && f.metadata.isFloat)
        let px = f.image.pixels
        #expect(px.allSatisfy { $0.isFinite && $0 >= 0 })
        let mean = px.reduce(0, +) / Float(px.count)
        #expect(mean > 0.01 && mean < 100)
        #expect(px.max()! > 1.5)  // a radiance map: the windows are far brighter than diffuse white
        // Re-encoding the decoded values reproduces them exactly (same RGBE bytes).
        let again = try HDRCodec.decode(try HDRCodec.encode(f, options: EncodeOptions()), path: "again", options: DecodeOptions())
        #expect(again.image.pixels == f.image.pixels)
    }

    @Test func roundTripWithinRGBEPrecision() throws {
        for width in [64, 5] {  // RLE scanlines and flat scanlines
            var img = Image(width: width, height: 7, channels: 3)
            var rng = SystemRandomNumberGenerator()
            for i in 0..<img.pixels.count { img.pixels[i] = Float.random(in: 0.001...1, using: &rng) * pow(10, Float(i % 7 - 3)) }
            for x in 0..<width { img[x, 3, 0] = 0.5; img[x, 3, 1] = 0.25; img[x, 3, 2] = 2 }  // long runs
            let data = try HDRCodec.encode(ImageFile(image: img, metadata: ImageMetadata(format: .hdr, bitDepth: 32)), options: EncodeOptions())
            let back = try HDRCodec.decode(data, path: "rt.hdr", options: DecodeOptions()).image
            #expect(back.width == width && back.height == 7)
            var worst: Float = 0
            for y in 0..<7 {
                for x in 0..<width {
                    let m = max(img[x, y, 0], img[x, y, 1], img[x, y, 2])
                    for c in 0..<3 { worst = max(worst, abs(back[x, y, c] - img[x, y, c]) / m) }
                }
            }
            #expect(worst < 0.01, "worst error relative to the pixel's largest channel: \(worst)")
        }
    }

    @Test func rejectsBadInput() throws {
        var img = Image(width: 32, height: 8, channels: 3, fill: 0.3)
        img[3, 3, 0] = 5
        let good = try HDRCodec.encode(ImageFile(image: img, metadata: ImageMetadata(format: .hdr, bitDepth: 32)), options: EncodeOptions())
        #expect(throws: ImageIOError.self) { try HDRCodec.decode(good.prefix(good.count / 2), path: "half.hdr", options: DecodeOptions()) }
        let huge = Data("#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 100000 +X 100000\n".utf8) + Data([2, 2, 0, 8])
        #expect(throws: ImageIOError.tooLarge(path: "huge.hdr", width: 100000, height: 100000, limit: DecodeOptions.defaultMaxPixels)) {
            try HDRCodec.decode(huge, path: "huge.hdr", options: DecodeOptions())
        }
        let garbage = Data("#?RADIANCE\n".utf8) + Data((0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        #expect(throws: ImageIOError.self) { try HDRCodec.decode(garbage, path: "junk.hdr", options: DecodeOptions()) }
        let flipped = Data("#?RADIANCE\n\n+Y 2 +X 2\n".utf8) + Data(repeating: 128, count: 16)
        do {
            _ = try HDRCodec.decode(flipped, path: "flip.hdr", options: DecodeOptions())
            Issue.record("orientation +Y must be refused")
        } catch let e as ImageIOError {
            #expect(e.description.contains("orientation"))
        }
    }
}
