import LuxImage

/// The colour pipeline: decoded file values -> Lux's linear working space -> output encoding.
///
/// Fast path (known spaces): branch-free decode curve (``FastTransfer``), then one 3x3 matrix
/// (``Primaries/matrix(to:)``, Bradford adaptation between D50 and D65). Other ICC profiles go
/// through LittleCMS (``ICCProfile``), relative colorimetric intent.
public enum ColorPipeline {
    /// Converts an image as decoded from a file (its `colorSpace`, or the ICC profile when given,
    /// which takes precedence) to ``ColorSpace/working`` (linear, sRGB primaries).
    /// An ICC profile numerically equal to a known space takes the fast path.
    /// Throws ``ColorError`` for invalid or unsupported (e.g. CMYK) profiles.
    public static func toWorking(_ image: Image, iccProfile: [UInt8]?) throws -> Image {
        guard let bytes = iccProfile, !bytes.isEmpty else { return toWorking(image, from: image.colorSpace) }
        let profile = try ICCProfile(bytes: bytes)
        switch profile.kind {
        case .rgb:
            if let known = profile.knownSpace { return toWorking(image, from: known) }
        case .gray:
            if let tf = profile.grayTransfer {
                var out = image
                decode(&out, tf)
                out.colorSpace = .working
                return out
            }
        }
        var out = image
        try profile.transformToWorking(&out)
        out.colorSpace = .working
        return out
    }

    /// Fast path: decode `space.transfer`, then the matrix from `space.primaries` to sRGB primaries.
    public static func toWorking(_ image: Image, from space: ColorSpace) -> Image {
        var out = image
        decode(&out, space.transfer)
        PlanarMatrix.apply(space.primaries.matrix(to: .sRGB), to: &out)
        out.colorSpace = .working
        return out
    }

    /// Converts a working-space image to `space` (primaries and transfer curve) for encoding.
    /// An input not in ``ColorSpace/working`` is first brought there from its `colorSpace`.
    /// Values are not clipped (negative, out-of-gamut values keep their sign through the curve).
    public static func fromWorking(_ image: Image, to space: ColorSpace) -> Image {
        var out = image.colorSpace == .working ? image : toWorking(image, from: image.colorSpace)
        PlanarMatrix.apply(Primaries.sRGB.matrix(to: space.primaries), to: &out)
        let n = out.planeCount
        out.pixels.withUnsafeMutableBufferPointer { buf in
            TransferCurves.encodeInPlace(UnsafeMutableBufferPointer(rebasing: buf[0..<(3 * n)]), space.transfer)
        }
        out.colorSpace = space
        return out
    }

    /// An ICC profile describing `space`, for embedding in an output file. Cached for the named
    /// spaces (sRGB, linear sRGB, Display P3, Adobe RGB, ProPhoto, linear ProPhoto, Rec. 2020).
    public static func iccProfile(for space: ColorSpace) -> [UInt8] {
        if let cached = cachedProfiles[space] { return cached }
        return ICCProfile.make(for: space).bytes()
    }

    /// A 1-channel gray ICC profile with the given tone curve (D50 white).
    public static func grayICCProfile(transfer: TransferFunction) -> [UInt8] {
        ICCProfile.makeGray(transfer: transfer).bytes()
    }

    /// Named spaces whose profile bytes are built once.
    public static let namedSpaces: [ColorSpace] = [
        .sRGB, .working, .displayP3, .adobeRGB, .proPhoto, .linearProPhoto, .rec2020,
    ]

    private static let cachedProfiles: [ColorSpace: [UInt8]] = Dictionary(
        uniqueKeysWithValues: namedSpaces.map { ($0, ICCProfile.make(for: $0).bytes()) })

    /// The LittleCMS target profile of every ICC transform: linear sRGB primaries, D65.
    static let workingProfile = ICCProfile.make(for: .working)

    private static func decode(_ image: inout Image, _ tf: TransferFunction) {
        let n = image.planeCount
        image.pixels.withUnsafeMutableBufferPointer { buf in
            TransferCurves.decodeInPlace(UnsafeMutableBufferPointer(rebasing: buf[0..<(3 * n)]), tf)
        }
    }
}
