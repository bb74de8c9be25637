import Testing
import CLCMS2
import LuxImage
@testable import LuxColor

/// A LUT-based (A2B0) RGB profile cannot take the matrix-shaper pass: toWorking must use LittleCMS.
@Suite struct LUTProfileTests {
    /// An input profile for `space` whose only transform is an A2B0 pipeline (curves + matrix),
    /// PCS XYZ. lcms stores XYZ in LUTs as u1Fixed15 encoded values: divide by 1 + 32767/32768.
    static func lutProfile(for space: ColorSpace) throws -> [UInt8] {
        let h = try #require(cmsCreateProfilePlaceholder(nil))
        defer { cmsCloseProfile(h) }
        cmsSetProfileVersion(h, 4.3)
        cmsSetDeviceClass(h, cmsSigInputClass)
        cmsSetColorSpace(h, cmsSigRgbData)
        cmsSetPCS(h, cmsSigXYZData)
        let lut = try #require(cmsPipelineAlloc(nil, 3, 3))
        defer { cmsPipelineFree(lut) }
        let curve = ICCProfile.toneCurve(space.transfer)
        defer { cmsFreeToneCurve(curve) }
        let curves: [OpaquePointer?] = [curve, curve, curve]
        _ = curves.withUnsafeBufferPointer { cmsPipelineInsertStage(lut, cmsAT_END, cmsStageAllocToneCurves(nil, 3, $0.baseAddress)) }
        let encode = 1 + 32767.0 / 32768.0
        let m = space.primaries.toXYZD50.e.map { $0 / encode }
        _ = cmsPipelineInsertStage(lut, cmsAT_END, cmsStageAllocMatrix(nil, 3, 3, m, nil))
        // lutAtoBType layout M curves -> matrix -> B curves: identity B curves.
        _ = cmsPipelineInsertStage(lut, cmsAT_END, cmsStageAllocToneCurves(nil, 3, nil))
        var white = cmsCIEXYZ(X: 0.9642, Y: 1, Z: 0.8249)
        cmsWriteTag(h, cmsSigMediaWhitePointTag, &white)
        #expect(cmsWriteTag(h, cmsSigAToB0Tag, UnsafeRawPointer(lut)) != 0)
        var n: UInt32 = 0
        #expect(cmsSaveProfileToMem(h, nil, &n) != 0)
        var bytes = [UInt8](repeating: 0, count: Int(n))
        _ = bytes.withUnsafeMutableBytes { cmsSaveProfileToMem(h, $0.baseAddress, &n) }
        return bytes
    }

    @Test(arguments: [ColorSpace.adobeRGB, .proPhoto, .displayP3])
    func lutProfileGoesThroughLittleCMS(space: ColorSpace) throws {
        let bytes = try Self.lutProfile(for: space)
        let p = try ICCProfile(bytes: bytes)
        #expect(p.knownSpace == nil && p.matrixShaperConversion() == nil)
        let img = randomImage(seed: 5, width: 300, height: 120, channels: 4, colorSpace: .sRGB)
        let viaLCMS = try ColorPipeline.toWorking(img, iccProfile: bytes)
        let fast = ColorPipeline.toWorking(img, from: space)
        print("LUT profile \(space): lcms vs fast max difference \(maxDifference(viaLCMS, fast))")
        #expect(maxDifference(viaLCMS, fast) < 1e-3)
        #expect(viaLCMS.pixels[(3 * img.planeCount)...] == img.pixels[(3 * img.planeCount)...])
    }
}
