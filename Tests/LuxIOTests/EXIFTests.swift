import Foundation
import LuxImage
import Testing
@testable import LuxIO

@Suite struct EXIFTests {
    /// A big-endian block: IFD0 with Make, Orientation 8 and an Exif sub-IFD holding
    /// ExposureTime 1/250, FNumber 28/10, ISO 400, DateTimeOriginal and FocalLength 50/1.
    static func bigEndianBlock() -> [UInt8] {
        func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        let ifd0 = 8, ifd0Size = 2 + 3 * 12 + 4
        let sub = ifd0 + ifd0Size, subSize = 2 + 5 * 12 + 4
        var data = sub + subSize
        var b: [UInt8] = Array("MM".utf8) + be16(42) + be32(ifd0)
        var extra: [UInt8] = []
        func place(_ bytes: [UInt8]) -> Int { let o = data; extra += bytes; data += bytes.count; return o }
        let makeOff = place(Array("Nikon Corp\0".utf8) + [0])
        b += be16(3)
        b += be16(0x010F) + be16(2) + be32(11) + be32(makeOff)
        b += be16(0x0112) + be16(3) + be32(1) + be16(8) + be16(0)
        b += be16(0x8769) + be16(4) + be32(1) + be32(sub)
        b += be32(0)
        let exp = place(be32(1) + be32(250)), fn = place(be32(28) + be32(10))
        let date = place(Array("2024:05:06 07:08:09\0".utf8)), focal = place(be32(50) + be32(1))
        b += be16(5)
        b += be16(0x829A) + be16(5) + be32(1) + be32(exp)
        b += be16(0x829D) + be16(5) + be32(1) + be32(fn)
        b += be16(0x8827) + be16(3) + be32(1) + be16(400) + be16(0)
        b += be16(0x9003) + be16(2) + be32(20) + be32(date)
        b += be16(0x920A) + be16(5) + be32(1) + be32(focal)
        b += be32(0)
        return b + extra
    }

    @Test func parsesBigEndianFields() throws {
        let info = try #require(EXIF.parse(Self.bigEndianBlock()))
        #expect(info.orientation == 8)
        #expect(info.make == "Nikon Corp")
        #expect(info.model == nil)
        #expect(info.dateTimeOriginal == "2024:05:06 07:08:09")
        #expect(abs((info.exposureTime ?? 0) - 0.004) < 1e-12)
        #expect(abs((info.fNumber ?? 0) - 2.8) < 1e-12)
        #expect(info.iso == 400)
        #expect(info.focalLength == 50)
    }

    @Test func rewritesOrientationOnly() throws {
        let block = Self.bigEndianBlock()
        let fixed = EXIF.settingOrientation(block, to: 1)
        #expect(fixed.count == block.count)
        #expect(zip(block, fixed).filter { $0 != $1 }.count == 1)
        let info = try #require(EXIF.parse(fixed))
        #expect(info.orientation == 1 && info.iso == 400 && info.make == "Nikon Corp")
        let le = EXIF.make(orientation: 5, make: "A", model: "Bee")
        #expect(EXIF.parse(le) == { var i = EXIFInfo(); i.orientation = 5; i.make = "A"; i.model = "Bee"; return i }())
        #expect(EXIF.orientation(of: EXIF.settingOrientation(le)) == 1)
    }

    @Test func garbageIsNotExif() {
        #expect(EXIF.parse([1, 2, 3]) == nil)
        #expect(EXIF.parse(Array("II*\0".utf8) + [0xFF, 0xFF, 0xFF, 0x7F]) != nil) // bad IFD offset: defaults
        #expect(EXIF.orientation(of: Array("II*\0".utf8) + [0xFF, 0xFF, 0xFF, 0x7F]) == 1)
    }

    /// Where stored pixel (x, y) of a W x H image lands when displayed, per the EXIF definition
    /// (written forwards, independently of `Image.oriented`, which maps backwards).
    static func displayed(_ x: Int, _ y: Int, w: Int, h: Int, orientation o: Int) -> (Int, Int) {
        switch o {
        case 2: (w - 1 - x, y)
        case 3: (w - 1 - x, h - 1 - y)
        case 4: (x, h - 1 - y)
        case 5: (y, x)
        case 6: (h - 1 - y, x)
        case 7: (h - 1 - y, w - 1 - x)
        case 8: (y, w - 1 - x)
        default: (x, y)
        }
    }

    static func numbered(w: Int, h: Int) -> Image {
        var img = Image(width: w, height: h, channels: 3, colorSpace: .sRGB)
        for y in 0..<h { for x in 0..<w { for c in 0..<3 { img[x, y, c] = Float(100 * c + 10 * y + x) / 255 } } }
        return img
    }

    @Test(arguments: 1...8) func orientedMatchesDefinition(_ o: Int) {
        let w = 4, h = 3
        let img = Self.numbered(w: w, h: h)
        let out = img.oriented(o)
        #expect(out.width == (o >= 5 ? h : w) && out.height == (o >= 5 ? w : h))
        for y in 0..<h {
            for x in 0..<w {
                let (dx, dy) = Self.displayed(x, y, w: w, h: h, orientation: o)
                for c in 0..<3 { #expect(out[dx, dy, c] == img[x, y, c]) }
            }
        }
    }

    @Test(arguments: 1...8) func pngDecodeAppliesOrientation(_ o: Int) throws {
        let img = Self.numbered(w: 5, h: 3)
        let data = try PNGCodec.encode(img, bitDepth: 8, exif: EXIF.make(orientation: o), icc: nil)
        let up = try PNGCodec.decode(data, path: "o.png", options: DecodeOptions())
        #expect(up.metadata.orientation == 1 && up.metadata.originalOrientation == o)
        for y in 0..<3 {
            for x in 0..<5 {
                let (dx, dy) = Self.displayed(x, y, w: 5, h: 3, orientation: o)
                #expect(up.image[dx, dy, 1] == img[x, y, 1])
            }
        }
        let asStored = try PNGCodec.decode(data, path: "o.png", options: DecodeOptions(applyOrientation: false))
        #expect(asStored.image == img && asStored.metadata.orientation == o)
    }
}
