import Testing
import LuxImage
@testable import LuxColor

func randomImage(seed: UInt64, width: Int = 64, height: Int = 48, channels: Int = 3,
                 colorSpace: ColorSpace = .sRGB) -> Image {
    var s = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    let px = (0..<(width * height * channels)).map { _ -> Float in
        s ^= s << 13; s ^= s >> 7; s ^= s << 17
        return Float(s >> 40) / Float(1 << 24)
    }
    return Image(width: width, height: height, channels: channels, colorSpace: colorSpace, pixels: px)
}

func maxDifference(_ a: Image, _ b: Image, channels: Int = 3) -> Float {
    let n = a.planeCount * channels
    return (0..<n).map { abs(a.pixels[$0] - b.pixels[$0]) }.max()!
}

@Suite struct ColorPipelineTests {
    @Test func fastPathAgreesWithLittleCMSForEveryKnownSpace() throws {
        for space in ColorPipeline.namedSpaces {
            let img = randomImage(seed: 42, colorSpace: space)
            let fast = ColorPipeline.toWorking(img, from: space)
            // Forced lcms path through the profile made by iccProfile(for:).
            let profile = try ICCProfile(bytes: ColorPipeline.iccProfile(for: space))
            var slow = img
            try profile.transformToWorking(&slow)
            let d = maxDifference(fast, slow)
            print("\(space): fast vs lcms max difference \(d)")
            #expect(d < 1e-3, "\(space)")
            // The public entry point identifies the profile and takes the fast path.
            let viaICC = try ColorPipeline.toWorking(img, iccProfile: ColorPipeline.iccProfile(for: space))
            #expect(viaICC.colorSpace == .working)
            #expect(maxDifference(viaICC, fast) < 1e-6, "\(space)")
        }
    }

    @Test func unidentifiedProfileGoesThroughLittleCMS() throws {
        // Display P3 primaries with a gamma-2.6 curve is a valid space, but strip identification
        // by modifying one colorant slightly so knownSpace fails; lcms must still transform.
        let space = ColorSpace(primaries: .displayP3, transfer: .gamma(2.6))
        let p = ICCProfile.make(for: space)
        let m = try #require(p.colorantMatrix)
        p.setColorant(0, xyz: SIMD3(m[0, 0] + 0.01, m[1, 0], m[2, 0]))
        let bytes = p.bytes()
        #expect(try ICCProfile(bytes: bytes).knownSpace == nil)
        let img = randomImage(seed: 3, colorSpace: space)
        let lcms = try ColorPipeline.toWorking(img, iccProfile: bytes)
        let fast = ColorPipeline.toWorking(img, from: space)
        let d = maxDifference(lcms, fast)
        #expect(d > 1e-4 && d < 0.05, "difference \(d)")
    }

    @Test func fromWorkingInvertsToWorking() {
        for space in ColorPipeline.namedSpaces {
            let img = randomImage(seed: 9, channels: 4, colorSpace: space)
            let w = ColorPipeline.toWorking(img, from: space)
            let back = ColorPipeline.fromWorking(w, to: space)
            #expect(back.colorSpace == space)
            #expect(maxDifference(back, img) < 2e-4, "\(space): \(maxDifference(back, img))")
            #expect(back.pixels[(3 * img.planeCount)...] == img.pixels[(3 * img.planeCount)...], "alpha untouched")
        }
    }

    @Test func knownConversions() throws {
        // sRGB mid grey 0.5 -> linear 0.21404 on all channels.
        let grey = Image(width: 1, height: 1, colorSpace: .sRGB, fill: 0.5)
        let w = try ColorPipeline.toWorking(grey, iccProfile: nil)
        #expect(w.colorSpace == .working)
        for c in 0..<3 { #expect(abs(w[0, 0, c] - 0.21404) < 1e-4) }
        // Linear sRGB red in Display P3 (sRGB curve): encode(0.8225, 0.0332, 0.0171).
        let red = Image(width: 1, height: 1, colorSpace: .working, pixels: [1, 0, 0])
        let p3 = ColorPipeline.fromWorking(red, to: .displayP3)
        let expected = [0.8225, 0.0332, 0.0171].map { TransferCurves.encode(Float($0), .sRGB) }
        for c in 0..<3 { #expect(abs(p3[0, 0, c] - expected[c]) < 2e-3, "\(c): \(p3[0, 0, c])") }
        // ICC takes precedence over the image's colorSpace tag.
        let tagged = Image(width: 1, height: 1, colorSpace: .sRGB, fill: 0.5)
        let viaProPhoto = try ColorPipeline.toWorking(tagged, iccProfile: ColorPipeline.iccProfile(for: .proPhoto))
        let direct = ColorPipeline.toWorking(Image(width: 1, height: 1, colorSpace: .proPhoto, fill: 0.5), from: .proPhoto)
        #expect(abs(viaProPhoto[0, 0, 1] - direct[0, 0, 1]) < 1e-6)
        #expect(abs(viaProPhoto[0, 0, 1] - 0.287175) < 1e-4)
    }
}
