import Testing
import LuxImage
@testable import LuxColor
#if canImport(Glibc)
import Glibc
#endif

/// The shared data folder (`../shared/data` beside the package root), or nil when absent.
func sharedDataDirectory() -> String? {
    var dir = "\(#filePath)"
    for _ in 0..<3 { dir = String(dir[..<dir.lastIndex(of: "/")!]) } // file -> LuxColorTests -> Tests -> root
    let data = dir + "/../shared/data"
    return readFileBytes(data + "/README.md") != nil ? data : nil
}

func readFileBytes(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n <= 0 { break }
        out += buf[0..<n]
    }
    return out
}

/// A tiny TIFF tag walker: the bytes of tag 34675 (ICC profile) in the first IFD, or nil.
func tiffICCProfile(_ d: [UInt8]) -> [UInt8]? {
    guard d.count > 8 else { return nil }
    let le = d[0] == 0x49
    func u16(_ o: Int) -> Int { le ? Int(d[o]) | Int(d[o + 1]) << 8 : Int(d[o]) << 8 | Int(d[o + 1]) }
    func u32(_ o: Int) -> Int { le ? u16(o) | u16(o + 2) << 16 : u16(o) << 16 | u16(o + 2) }
    let ifd = u32(4)
    for i in 0..<u16(ifd) {
        let e = ifd + 2 + 12 * i
        if u16(e) == 34675 {
            let count = u32(e + 4), off = u32(e + 8)
            return Array(d[off..<(off + count)])
        }
    }
    return nil
}

@Suite struct ICCProfileTests {
    @Test func everyNamedProfileRoundTripsAndIsIdentified() throws {
        for space in ColorPipeline.namedSpaces + [ColorSpace(primaries: .displayP3, transfer: .gamma(2.6))] {
            let bytes = ColorPipeline.iccProfile(for: space)
            #expect(bytes.count > 300, "\(space)")
            #expect(Array(bytes[36..<40]) == Array("acsp".utf8))
            let p = try ICCProfile(bytes: bytes)
            #expect(p.kind == .rgb)
            #expect(p.knownSpace == space, "\(space) identified as \(String(describing: p.knownSpace))")
        }
    }

    @Test func colorantsAreD50Adapted() throws {
        let p = try ICCProfile(bytes: ColorPipeline.iccProfile(for: .sRGB))
        let m = try #require(p.colorantMatrix)
        // The standard sRGB colorants in an ICC profile (D50): rXYZ = 0.4361, 0.2225, 0.0139.
        #expect(abs(m[0, 0] - 0.4361) < 1e-3 && abs(m[1, 0] - 0.2225) < 1e-3 && abs(m[2, 0] - 0.0139) < 1e-3)
    }

    @Test func invalidBytesGiveClearErrors() {
        #expect(throws: ColorError.self) { try ICCProfile(bytes: [1, 2, 3]) }
        var junk = [UInt8](repeating: 0x41, count: 400)
        junk[36] = 0x61; junk[37] = 0x63; junk[38] = 0x73; junk[39] = 0x70
        do {
            _ = try ICCProfile(bytes: junk)
            Issue.record("junk accepted")
        } catch let e as ColorError {
            #expect(e.description.hasPrefix("invalid ICC profile"), "\(e)")
        } catch { Issue.record("wrong error \(error)") }
        let img = Image(width: 2, height: 2)
        #expect(throws: ColorError.self) { try ColorPipeline.toWorking(img, iccProfile: [0, 1, 2, 3]) }
    }

    @Test func cmykIsRefused() throws {
        // A valid profile header edited to claim CMYK data is refused with a clear message.
        var bytes = ColorPipeline.iccProfile(for: .sRGB)
        bytes.replaceSubrange(16..<20, with: Array("CMYK".utf8))
        do {
            _ = try ICCProfile(bytes: bytes)
            Issue.record("CMYK accepted")
        } catch let e as ColorError {
            #expect(e == .unsupportedProfile("CMYK profiles are not supported; convert to RGB first"), "\(e)")
        }
    }

    @Test func grayProfile() throws {
        let bytes = ColorPipeline.grayICCProfile(transfer: .gamma(2.2))
        let p = try ICCProfile(bytes: bytes)
        #expect(p.kind == .gray)
        #expect(p.grayTransfer == .gamma(2.2))
        let img = Image(width: 3, height: 1, colorSpace: .sRGB, pixels: [0, 0.5, 1, 0, 0.5, 1, 0, 0.5, 1])
        let w = try ColorPipeline.toWorking(img, iccProfile: bytes)
        #expect(w.colorSpace == .working)
        #expect(abs(w[1, 0, 0] - 0.217638) < 1e-4 && abs(w[1, 0, 1] - w[1, 0, 0]) < 1e-6 && abs(w[2, 0, 2] - 1) < 1e-4)
    }

    @Test func realProPhotoTIFFProfile() throws {
        guard let data = sharedDataDirectory() else {
            print("skipped: ../shared/data not found"); return
        }
        let tif = try #require(readFileBytes(data + "/fivek-samples/A.tif"))
        let icc = try #require(tiffICCProfile(tif), "A.tif has no ICC tag")
        let p = try ICCProfile(bytes: icc)
        // Kodak's ProPhoto RGB profile: ROMM primaries with a pure gamma 1.8 (curv 0x01CD = 1.80078) TRC.
        let known = try #require(p.knownSpace)
        #expect(known.primaries == .proPhoto)
        guard case .gamma(let g) = known.transfer else { Issue.record("transfer \(known.transfer)"); return }
        #expect(abs(g - 1.80078) < 1e-3)
        // The identified fast path agrees with LittleCMS on random colours.
        let img = randomImage(seed: 7, colorSpace: .proPhoto)
        let fast = try ColorPipeline.toWorking(img, iccProfile: icc)
        var slow = img
        try p.transformToWorking(&slow)
        #expect(maxDifference(fast, slow) < 1e-3)
    }
}
