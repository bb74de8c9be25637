import LuxImage
import CLCMS2
#if canImport(Glibc)
import Glibc
#endif

/// Errors of the colour pipeline.
public enum ColorError: Error, CustomStringConvertible, Equatable {
    /// The bytes are not a parseable ICC profile.
    case invalidProfile(String)
    /// The profile describes a colour space Lux cannot convert (CMYK, Lab, ...).
    case unsupportedProfile(String)
    /// LittleCMS could not build a transform.
    case transformFailed(String)
    /// Pixel data do not match the profile (e.g. a gray profile on a 2-channel image).
    case channelMismatch(String)

    public var description: String {
        switch self {
        case .invalidProfile(let s): return "invalid ICC profile: \(s)"
        case .unsupportedProfile(let s): return "unsupported ICC profile: \(s)"
        case .transformFailed(let s): return "colour transform failed: \(s)"
        case .channelMismatch(let s): return "channel mismatch: \(s)"
        }
    }
}

/// LittleCMS pixel format words (the `TYPE_*` macros are not imported into Swift).
/// Layout: FLOAT_SH(f) = f << 22, COLORSPACE_SH(s) = s << 16, PLANAR_SH(p) = p << 12,
/// CHANNELS_SH(c) = c << 3, BYTES_SH(b) = b.
enum LCMSFormat {
    static func word(float: Bool, colorSpace: Int32, channels: UInt32, bytes: UInt32, planar: Bool) -> UInt32 {
        (float ? 1 << 22 : 0) | (UInt32(colorSpace) << 16) | (planar ? 1 << 12 : 0) | (channels << 3) | bytes
    }
    /// TYPE_RGB_FLT_PLANAR.
    static let rgbFloatPlanar = word(float: true, colorSpace: Int32(PT_RGB), channels: 3, bytes: 4, planar: true)
    /// TYPE_GRAY_FLT.
    static let grayFloat = word(float: true, colorSpace: Int32(PT_GRAY), channels: 1, bytes: 4, planar: false)
}

/// An ICC profile opened with LittleCMS. Owns the handle; closed on deinit.
public final class ICCProfile: @unchecked Sendable {
    /// The lcms profile handle.
    let handle: cmsHPROFILE

    /// The kind of data the profile describes.
    public enum Kind: Sendable, Equatable { case rgb, gray }
    public let kind: Kind

    /// Opens a profile from its bytes (as embedded in a file).
    /// Throws ``ColorError/invalidProfile(_:)`` for unparseable bytes and
    /// ``ColorError/unsupportedProfile(_:)`` for anything but RGB or gray data (CMYK is refused).
    public init(bytes: [UInt8]) throws {
        guard bytes.count >= 132 else {
            throw ColorError.invalidProfile("\(bytes.count) bytes is shorter than an ICC header (132)")
        }
        guard bytes[36] == 0x61, bytes[37] == 0x63, bytes[38] == 0x73, bytes[39] == 0x70 else {
            throw ColorError.invalidProfile("missing 'acsp' signature at offset 36")
        }
        guard let h = bytes.withUnsafeBytes({ cmsOpenProfileFromMem($0.baseAddress, UInt32($0.count)) }) else {
            throw ColorError.invalidProfile("LittleCMS could not parse \(bytes.count) bytes")
        }
        let space = cmsGetColorSpace(h)
        switch space {
        case cmsSigRgbData: kind = .rgb
        case cmsSigGrayData: kind = .gray
        case cmsSigCmykData:
            cmsCloseProfile(h)
            throw ColorError.unsupportedProfile("CMYK profiles are not supported; convert to RGB first")
        default:
            cmsCloseProfile(h)
            throw ColorError.unsupportedProfile("data colour space '\(Self.fourCC(space.rawValue))' is not RGB or gray")
        }
        handle = h
    }

    init(handle: cmsHPROFILE, kind: Kind) {
        self.handle = handle
        self.kind = kind
    }

    deinit { cmsCloseProfile(handle) }

    static func fourCC(_ v: UInt32) -> String {
        String(decoding: [24, 16, 8, 0].map { UInt8((v >> UInt32($0)) & 0xff) }, as: UTF8.self)
    }

    /// Serialises the profile (cmsSaveProfileToMem).
    public func bytes() -> [UInt8] {
        var n: UInt32 = 0
        guard cmsSaveProfileToMem(handle, nil, &n) != 0, n > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: Int(n))
        let ok = out.withUnsafeMutableBytes { cmsSaveProfileToMem(handle, $0.baseAddress, &n) }
        return ok != 0 ? Array(out.prefix(Int(n))) : []
    }

    // MARK: Creation

    /// A matrix-shaper RGB profile for `space`: the primaries and white point from
    /// ``Primaries/chromaticities`` and the tone curve of `space.transfer`.
    public static func make(for space: ColorSpace) -> ICCProfile {
        let c = space.primaries.chromaticities
        var white = cmsCIExyY(x: c.white.x, y: c.white.y, Y: 1)
        var prim = cmsCIExyYTRIPLE(Red: cmsCIExyY(x: c.red.x, y: c.red.y, Y: 1),
                                   Green: cmsCIExyY(x: c.green.x, y: c.green.y, Y: 1),
                                   Blue: cmsCIExyY(x: c.blue.x, y: c.blue.y, Y: 1))
        let curve = toneCurve(space.transfer)
        defer { cmsFreeToneCurve(curve) }
        var curves: [OpaquePointer?] = [curve, curve, curve]
        let h = curves.withUnsafeMutableBufferPointer { cmsCreateRGBProfile(&white, &prim, $0.baseAddress) }!
        setDescription(h, "Lux \(space.description)")
        return ICCProfile(handle: h, kind: .rgb)
    }

    /// A gray profile (D50 white as the PCS expects for gray) with the tone curve `transfer`.
    public static func makeGray(transfer: TransferFunction) -> ICCProfile {
        var white = cmsCIExyY(x: Chromaticities.d50.x, y: Chromaticities.d50.y, Y: 1)
        let curve = toneCurve(transfer)
        defer { cmsFreeToneCurve(curve) }
        let h = cmsCreateGrayProfile(&white, curve)!
        setDescription(h, "Lux gray (\(transfer))")
        return ICCProfile(handle: h, kind: .gray)
    }

    /// The lcms tone curve for a transfer function (encoded -> linear, as ICC TRCs are):
    /// sRGB = parametric type 4 (2.4, 1/1.055, 0.055/1.055, 1/12.92, 0.04045); gamma g = type 1;
    /// ProPhoto = type 4 (1.8, 1, 0, 1/16, 16/512); linear = type 1 with gamma 1.
    static func toneCurve(_ tf: TransferFunction) -> OpaquePointer {
        let (type, params): (Int32, [Double])
        switch tf {
        case .linear: (type, params) = (1, [1.0])
        case .gamma(let g): (type, params) = (1, [Double(g)])
        case .sRGB: (type, params) = (4, [2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045])
        case .proPhoto: (type, params) = (4, [1.8, 1, 0, 1.0 / 16.0, 16.0 / 512.0])
        }
        return cmsBuildParametricToneCurve(nil, type, params)!
    }

    private static func setDescription(_ h: cmsHPROFILE, _ text: String) {
        guard let mlu = cmsMLUalloc(nil, 1) else { return }
        defer { cmsMLUfree(mlu) }
        cmsMLUsetASCII(mlu, "en", "US", text)
        cmsWriteTag(h, cmsSigProfileDescriptionTag, UnsafeRawPointer(mlu))
        cmsMLUsetASCII(mlu, "en", "US", "No copyright, use freely")
        cmsWriteTag(h, cmsSigCopyrightTag, UnsafeRawPointer(mlu))
    }

    // MARK: Inspection

    /// The matrix-shaper colorants (RGB -> XYZ D50, columns = rXYZ, gXYZ, bXYZ), or nil when the
    /// profile has no colorant tags.
    public var colorantMatrix: Matrix3? {
        guard kind == .rgb else { return nil }
        let tags = [cmsSigRedColorantTag, cmsSigGreenColorantTag, cmsSigBlueColorantTag]
        var m = Matrix3.identity
        for (col, t) in tags.enumerated() {
            guard let p = cmsReadTag(handle, t) else { return nil }
            let xyz = p.assumingMemoryBound(to: cmsCIEXYZ.self).pointee
            m[0, col] = xyz.X; m[1, col] = xyz.Y; m[2, col] = xyz.Z
        }
        return m
    }

    /// Overwrites colorant `channel` (0 red, 1 green, 2 blue) with `xyz` (D50). For building test
    /// and custom profiles.
    public func setColorant(_ channel: Int, xyz: SIMD3<Double>) {
        let tags = [cmsSigRedColorantTag, cmsSigGreenColorantTag, cmsSigBlueColorantTag]
        var v = cmsCIEXYZ(X: xyz.x, Y: xyz.y, Z: xyz.z)
        cmsWriteTag(handle, tags[channel], &v)
    }

    /// The tone curves (R, G, B, or the single gray curve), or nil if absent.
    var toneCurves: [OpaquePointer]? {
        let tags = kind == .rgb ? [cmsSigRedTRCTag, cmsSigGreenTRCTag, cmsSigBlueTRCTag] : [cmsSigGrayTRCTag]
        var out: [OpaquePointer] = []
        for t in tags {
            guard let p = cmsReadTag(handle, t) else { return nil }
            out.append(OpaquePointer(p))
        }
        return out
    }

    /// True when a LUT-based tag (A2B0/A2B1) is present: lcms would use it instead of the matrix.
    var hasLUT: Bool {
        cmsIsTag(handle, cmsSigAToB0Tag) != 0 || cmsIsTag(handle, cmsSigAToB1Tag) != 0
    }

    /// The known ``ColorSpace`` this profile is numerically equal to (colorants within 2e-3 of
    /// ``Primaries/toXYZD50``, all TRCs within 2e-4 of one Lux transfer function at 96 points),
    /// or nil. A pure power TRC becomes `.gamma(g)` even when g is not a named space's gamma.
    public var knownSpace: ColorSpace? {
        guard kind == .rgb, !hasLUT, let m = colorantMatrix, let curves = toneCurves else { return nil }
        guard let primaries = Primaries.allCases.first(where: { p in
            let ref = p.toXYZD50
            return (0..<9).allSatisfy { abs(ref.e[$0] - m.e[$0]) < 2e-3 }
        }) else { return nil }
        guard let tf = Self.identify(curves[0]) else { return nil }
        for c in curves.dropFirst() where !Self.curve(c, matches: tf) { return nil }
        return ColorSpace(primaries: primaries, transfer: tf)
    }

    /// For a gray profile: the Lux transfer function matching its TRC, if any.
    public var grayTransfer: TransferFunction? {
        guard kind == .gray, !hasLUT, let c = toneCurves?.first else { return nil }
        return Self.identify(c)
    }

    /// Sample points for curve comparison: 0...1 in 1/64 steps plus 1/512 steps below 1/16.
    static let samplePoints: [Float] = (0...64).map { Float($0) / 64 } + (1..<32).map { Float($0) / 512 }

    /// True when `c` is within 2e-4 of `tf`'s decode at every sample point (enough to tell the
    /// ROMM curve from a pure gamma 1.8, loose enough for 16-bit 'curv' tables).
    static func curve(_ c: OpaquePointer, matches tf: TransferFunction) -> Bool {
        samplePoints.allSatisfy { e in abs(cmsEvalToneCurveFloat(c, e) - TransferCurves.decode(e, tf)) < 2e-4 }
    }

    /// Named gammas a fitted exponent snaps to when within 2e-4 (s15Fixed16 'para' precision).
    static let namedGammas: [Float] = [563.0 / 256.0, 1.8, 2.2, 2.4, 2.6]

    static func identify(_ c: OpaquePointer) -> TransferFunction? {
        for tf in [TransferFunction.linear, .sRGB, .proPhoto] where curve(c, matches: tf) { return tf }
        // A pure power law: fit g at 0.5, snap to a named gamma or 4 decimals, verify everywhere.
        let y = Double(cmsEvalToneCurveFloat(c, 0.5))
        guard y > 0, y < 1 else { return nil }
        var g = Float(log(y) / log(0.5))
        if let named = namedGammas.first(where: { abs($0 - g) < 2e-4 }) { g = named } else { g = (g * 1e4).rounded() / 1e4 }
        let tf = TransferFunction.gamma(g)
        return curve(c, matches: tf) ? tf : nil
    }

    // MARK: Transform

    /// Converts the RGB planes of `image` in place to linear sRGB primaries (the working space)
    /// with LittleCMS, relative colorimetric intent, float planar, split over row chunks.
    /// A gray profile's curve is applied to every channel (neutral stays neutral).
    func transformToWorking(_ image: inout Image) throws {
        let target = ColorPipeline.workingProfile
        let n = image.planeCount
        switch kind {
        case .rgb:
            let fmt = LCMSFormat.rgbFloatPlanar
            guard let xf = cmsCreateTransform(handle, fmt, target.handle, fmt, UInt32(INTENT_RELATIVE_COLORIMETRIC),
                                              UInt32(cmsFLAGS_NOCACHE)) else {
                throw ColorError.transformFailed("LittleCMS refused an RGB transform for this profile")
            }
            defer { cmsDeleteTransform(xf) }
            nonisolated(unsafe) let transform = xf
            image.pixels.withUnsafeMutableBufferPointer { buf in
                nonisolated(unsafe) let base = buf.baseAddress!
                let stride = UInt32(n * 4)
                Parallel.forRanges(n, minChunk: 16384) { r in
                    let p = base + r.lowerBound
                    // In and out may alias for planar float formats of the same layout.
                    cmsDoTransformLineStride(transform, p, p, UInt32(r.count), 1, UInt32(r.count * 4),
                                             UInt32(r.count * 4), stride, stride)
                }
            }
        case .gray:
            guard let c = toneCurves?.first else {
                throw ColorError.invalidProfile("gray profile without a grayTRC tag")
            }
            nonisolated(unsafe) let curve = c
            let fast = FastCurve { Double(cmsEvalToneCurveFloat(curve, Float($0))) }
            image.pixels.withUnsafeMutableBufferPointer { buf in
                fast.applyParallel(UnsafeMutableBufferPointer(rebasing: buf[0..<(3 * n)]))
            }
        }
    }
}
