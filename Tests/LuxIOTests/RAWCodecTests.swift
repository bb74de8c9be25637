import Foundation
import LuxImage
import Testing
@testable import LuxIO

@Suite struct RAWCodecTests {
    /// XYZ (D65) -> linear sRGB; as a DNG ColorMatrix1 it says "camera RGB is linear sRGB", so the
    /// camera-to-output matrix is the identity and only white balance changes the values.
    static let xyzToSRGB: [Double] = [3.2404542, -1.5371385, -0.4985314,
                                      -0.9692660, 1.8760108, 0.0415560,
                                      0.0556434, -0.2040259, 1.0572252]

    /// A 16-bit RGGB Bayer DNG with constant raw values per colour site (fractions of 65535).
    static func syntheticDNG(width: Int = 64, height: Int = 64, raw: (r: Double, g: Double, b: Double),
                             neutral: (Double, Double, Double)) -> Data {
        var t = MiniTIFF()
        t.entries = [
            254: .long([0]), 256: .long([UInt32(width)]), 257: .long([UInt32(height)]), 258: .short([16]), 259: .short([1]),
            262: .short([32803]), 271: .ascii("Lux"), 272: .ascii("Synthetic CFA"), 277: .short([1]),
            278: .long([UInt32(height)]), 284: .short([1]),
            33421: .short([2, 2]), 33422: .bytes([0, 1, 1, 2]),
            50706: .bytes([1, 4, 0, 0]), 50708: .ascii("Lux Synthetic CFA"),
            50714: .long([0]), 50717: .long([65535]),
            50721: .srational(xyzToSRGB.map { (Int32(($0 * 10000).rounded()), 10000) }),
            50728: .rational([neutral.0, neutral.1, neutral.2].map { (UInt32(($0 * 10000).rounded()), 10000) }),
            50778: .short([21]),
        ]
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * 2)
        for y in 0..<height {
            for x in 0..<width {
                let f = y % 2 == 0 ? (x % 2 == 0 ? raw.r : raw.g) : (x % 2 == 0 ? raw.g : raw.b)
                pixels += MiniTIFF.le16(UInt16((f * 65535).rounded()))
            }
        }
        t.blocks = [pixels]
        return t.build()
    }

    /// Raw (0.1, 0.4, 0.24) under AsShotNeutral (0.5, 1, 0.8): white balance multiplies by
    /// (2, 1, 1.25), so the linear sRGB result must be (0.2, 0.4, 0.3).
    @Test func syntheticBayerDNGGivesKnownLinearColour() throws {
        let dng = Self.syntheticDNG(raw: (0.1, 0.4, 0.24), neutral: (0.5, 1, 0.8))
        #expect(ImageIO.detectFormat(dng) == .raw)
        let f = try RAWCodec.decode(dng, path: "synthetic.dng", options: DecodeOptions())
        #expect(f.image.width == 64 && f.image.height == 64 && f.image.channels == 3)
        #expect(f.image.colorSpace == .working)
        #expect(f.metadata.cameraMake == "Lux" && f.metadata.cameraModel == "Synthetic CFA")
        #expect(f.metadata.bitDepth == 16)
        let expected: [Float] = [0.2, 0.4, 0.3]
        for c in 0..<3 {
            // The interior, away from demosaicing borders.
            var sum: Float = 0, count: Float = 0
            for y in 8..<56 { for x in 8..<56 { sum += f.image[x, y, c]; count += 1 } }
            let mean = sum / count
            #expect(abs(mean - expected[c]) < 0.02 * expected[c] + 0.002, "channel \(c): \(mean), expected \(expected[c])")
        }
    }

    @Test func decodesRaspberryPiDNG() throws {
        guard let data = CodecFixtures.bytes("raw/rpi_640x480_test.dng") else {
            print("skipped: ../shared/data/raw/rpi_640x480_test.dng not found"); return
        }
        #expect(ImageIO.detectFormat(data) == .raw)
        let (pw, ph, pmeta) = try RAWCodec.probe(data, path: "rpi.dng")
        let f = try RAWCodec.decode(data, path: "rpi.dng", options: DecodeOptions())
        #expect(f.image.width == pw && f.image.height == ph)
        #expect(max(pw, ph) >= 480 && min(pw, ph) >= 300)
        #expect(pmeta.bitDepth >= 8 && pmeta.bitDepth <= 16)
        #expect(f.metadata.cameraMake != nil)
        let px = f.image.pixels
        #expect(px.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        let mean = px.reduce(0, +) / Float(px.count)
        #expect(mean > 0.005 && mean < 0.9, "mean \(mean)")
        #expect(Set(px.prefix(10000)).count > 100)
    }

    @Test func detectionTellsRawFromTIFF() throws {
        if let tif = CodecFixtures.bytes("fivek-samples/A.tif") { #expect(ImageIO.detectFormat(tif) == .tiff) }
        let plain = try TIFFCodec.encode(ImageFile(image: Image(width: 4, height: 4, fill: 0.5), metadata: ImageMetadata(format: .tiff, bitDepth: 8)),
                                         options: EncodeOptions(bitDepth: 8))
        #expect(ImageIO.detectFormat(plain) == .tiff)
        // CR2: TIFF header with "CR" at offset 8.
        #expect(ImageIO.detectFormat(Data([0x49, 0x49, 0x2A, 0, 16, 0, 0, 0, 0x43, 0x52, 2, 0, 0, 0, 0, 0, 0, 0])) == .raw)
        // A CFA image without DNGVersion (NEF/ARW style) is RAW too.
        var t = MiniTIFF()
        t.entries = [256: .long([4]), 257: .long([4]), 258: .short([16]), 262: .short([32803]), 271: .ascii("NIKON CORPORATION")]
        #expect(ImageIO.detectFormat(t.build()) == .raw)
    }

    @Test func rejectsBadInputAndEncoding() throws {
        let dng = Self.syntheticDNG(raw: (0.1, 0.4, 0.24), neutral: (0.5, 1, 0.8))
        #expect(throws: ImageIOError.self) { try RAWCodec.decode(dng.prefix(dng.count / 2), path: "half.dng", options: DecodeOptions()) }
        let garbage = Data([0x49, 0x49, 0x2A, 0x00]) + Data((0..<400).map { UInt8(truncatingIfNeeded: $0 &* 29 &+ 3) })
        #expect(throws: ImageIOError.self) { try RAWCodec.decode(garbage, path: "junk.dng", options: DecodeOptions()) }
        // Header claiming 100000 x 100000 (pixel data absent): refused before unpacking.
        var huge = MiniTIFF()
        huge.entries = [254: .long([0]), 256: .long([100000]), 257: .long([100000]), 258: .short([16]), 259: .short([1]),
                        262: .short([32803]), 271: .ascii("Lux"), 272: .ascii("Huge"), 277: .short([1]), 278: .long([100000]),
                        33421: .short([2, 2]), 33422: .bytes([0, 1, 1, 2]), 50706: .bytes([1, 4, 0, 0]), 50717: .long([65535])]
        huge.blocks = [[UInt8](repeating: 0, count: 256)]
        #expect(throws: ImageIOError.tooLarge(path: "huge.dng", width: 100000, height: 100000, limit: DecodeOptions.defaultMaxPixels)) {
            try RAWCodec.decode(huge.build(), path: "huge.dng", options: DecodeOptions())
        }
        // Lowering the limit refuses the small synthetic file the same way.
        #expect(throws: ImageIOError.tooLarge(path: "s.dng", width: 64, height: 64, limit: 1000)) {
            try RAWCodec.decode(dng, path: "s.dng", options: DecodeOptions(maxPixels: 1000))
        }
        let file = ImageFile(image: Image(width: 2, height: 2), metadata: ImageMetadata(format: .raw, bitDepth: 16))
        #expect(throws: ImageIOError.self) { try RAWCodec.encode(file, options: EncodeOptions()) }
    }
}
