import LuxImage
import LuxIO
import Testing
@testable import LuxCLI

/// The colour routing decision, and that keeping the encoding keeps pixels, ICC and EXIF exactly.
@Suite struct ColorRoutingTests {
    @Test("route table", arguments: [
        (ImageFormat.jpeg, 8, false, ImageFormat.png, 8, ColorRouting.Route.keepEncoding),
        (.png, 16, false, .tiff, 16, .keepEncoding),
        (.tiff, 16, false, .jpeg, 8, .keepEncoding),
        (.exr, 16, true, .jpeg, 8, .encodeSRGB),
        (.raw, 14, false, .tiff, 16, .encodeSRGB),
        (.tiff, 32, true, .png, 16, .encodeSRGB),
        (.jpeg, 8, false, .exr, 16, .toWorkingLinear),
        (.png, 8, false, .hdr, 32, .toWorkingLinear),
        (.png, 16, false, .tiff, 32, .toWorkingLinear),
    ])
    func routes(_ from: ImageFormat, _ depth: Int, _ isFloat: Bool, _ to: ImageFormat, _ outDepth: Int, _ expected: ColorRouting.Route) {
        let meta = ImageMetadata(format: from, bitDepth: depth, isFloat: isFloat)
        #expect(ColorRouting.route(from: meta, colorSpace: .sRGB, to: to, bitDepth: outDepth) == expected)
    }

    @Test func linear_integer_file_is_encoded_as_srgb() {
        let meta = ImageMetadata(format: .png, bitDepth: 16)
        #expect(ColorRouting.route(from: meta, colorSpace: .linearSRGB, to: .png, bitDepth: 16) == .encodeSRGB)
        #expect(ColorRouting.route(from: meta, colorSpace: .proPhoto, to: .png, bitDepth: 16) == .keepEncoding)
    }

    @Test func keep_encoding_copies_pixels_icc_and_exif() throws {
        var image = Image(width: 3, height: 2, colorSpace: .sRGB)
        for i in image.pixels.indices { image.pixels[i] = Float(i) / 17 }
        let meta = ImageMetadata(format: .jpeg, bitDepth: 8, iccProfile: [1, 2, 3], exif: Array("MM\0*".utf8))
        let (out, route) = try ColorRouting.prepare(ImageFile(image: image, metadata: meta), for: .png, bitDepth: 16)
        #expect(route == .keepEncoding)
        #expect(out.image == image)
        #expect(out.metadata.iccProfile == [1, 2, 3])
        #expect(out.metadata.exif == Array("MM\0*".utf8))
        #expect(out.metadata.format == .png && out.metadata.bitDepth == 16 && !out.metadata.isFloat)
    }
}
