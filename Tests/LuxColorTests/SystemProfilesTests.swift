import Testing
import LuxImage
@testable import LuxColor

/// Real-world profiles shipped by Ghostscript (Debian package ghostscript), when installed.
@Suite struct SystemProfilesTests {
    static let dir = "/usr/share/color/icc/ghostscript/"

    func load(_ name: String) -> [UInt8]? {
        let b = readFileBytes(Self.dir + name)
        if b == nil { print("skipped: \(Self.dir)\(name) not installed") }
        return b
    }

    @Test(arguments: [
        ("srgb.icc", ColorSpace.sRGB),
        ("a98.icc", ColorSpace.adobeRGB),
        ("rommrgb.icc", ColorSpace(primaries: .proPhoto, transfer: .gamma(1.8008))),
        ("scrgb.icc", ColorSpace.working),
    ])
    func rgbProfilesAreIdentifiedAndAgreeWithLittleCMS(name: String, expected: ColorSpace) throws {
        guard let bytes = load(name) else { return }
        let p = try ICCProfile(bytes: bytes)
        #expect(p.knownSpace == expected, "\(name): \(String(describing: p.knownSpace))")
        let img = randomImage(seed: 11, colorSpace: .sRGB)
        let fast = try ColorPipeline.toWorking(img, iccProfile: bytes)
        var slow = img
        try p.transformToWorking(&slow)
        #expect(maxDifference(fast, slow) < 1e-3, "\(name): \(maxDifference(fast, slow))")
        // The generic matrix-shaper pass (used when a profile is not identified) agrees too.
        var generic = img
        try #require(p.matrixShaperConversion()).run(&generic)
        #expect(maxDifference(generic, slow) < 1e-3, "\(name): \(maxDifference(generic, slow))")
    }

    @Test func grayAndCMYK() throws {
        if let gray = load("default_gray.icc") {
            #expect(try ICCProfile(bytes: gray).grayTransfer == .sRGB)
        }
        if let cmyk = load("default_cmyk.icc") {
            #expect(throws: ColorError.unsupportedProfile("CMYK profiles are not supported; convert to RGB first")) {
                try ColorPipeline.toWorking(Image(width: 1, height: 1), iccProfile: cmyk)
            }
        }
    }
}
