import Foundation
import LuxImage
import Testing
@testable import LuxIO

/// TIFF, HDR and EXR through the `ImageIO` facade: registration, detection and atomic writes.
@Suite struct CodecRegistryTests {
    @Test(arguments: [(ImageFormat.tiff, 16), (.hdr, 32), (.exr, 32)]) func writesAndReadsThroughImageIO(format: ImageFormat, bits: Int) throws {
        #expect(ImageIO.codec(for: format) != nil)
        var img = Image(width: 12, height: 9, channels: 3)
        for i in 0..<img.pixels.count { img.pixels[i] = 0.05 + Float(i % 11) / 12 }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lux-reg-\(getpid()).\(format.fileExtension)").path
        defer { unlink(path) }
        try ImageIO.write(ImageFile(image: img, metadata: ImageMetadata(format: format, bitDepth: bits)), to: path, format: format,
                          options: EncodeOptions(bitDepth: bits))
        let back = try ImageIO.read(path: path)
        #expect(back.metadata.format == format)
        let (w, h, _) = try ImageIO.probe(path: path)
        #expect(w == 12 && h == 9)
        // Relative to max(value, 0.5): RGBE shares one exponent per pixel, so small channels lose digits.
        let worst = zip(img.pixels, back.image.pixels).map { abs($0 - $1) / max($0, 0.5) }.max()!
        #expect(worst < 0.01)
    }

    @Test func rawIsReadOnly() {
        #expect(ImageIO.codec(for: .raw) != nil)
        let file = ImageFile(image: Image(width: 2, height: 2), metadata: ImageMetadata(format: .raw, bitDepth: 16))
        #expect(throws: ImageIOError.self) { try ImageIO.write(file, to: "/tmp/lux-never-written.dng", format: .raw) }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/lux-never-written.dng"))
    }
}
