import LuxColor
import LuxImage
import LuxIO

/// How colour is carried from a decoded file to an output format. The one place that decides it,
/// so every command (convert, and later the enhancement engines) writes colour the same way.
///
/// Policy:
/// - **Float target** (OpenEXR, Radiance HDR, 32-bit float TIFF): pixels go through
///   ``ColorPipeline/toWorking(_:iccProfile:)`` to Lux's working space (linear light, Rec. 709 / sRGB
///   primaries, D65). No ICC profile is embedded (EXR and HDR are linear Rec. 709 by convention).
/// - **Integer target from a non-linear integer file** (JPEG / PNG / 8- or 16-bit TIFF in, JPEG / PNG /
///   TIFF out): the pixels keep the file's encoding untouched, and its ICC profile and EXIF block are
///   copied, so nothing is re-interpreted.
/// - **Integer target from linear, float or RAW data** (EXR, HDR, float TIFF, camera RAW, or an
///   integer file the decoder marks as linear, e.g. a PNG with gAMA 1.0): converted to
///   the working space, then encoded with the sRGB curve (`ColorPipeline.fromWorking(_, to: .sRGB)`),
///   and `ColorPipeline.iccProfile(for: .sRGB)` is embedded. EXIF (RAW camera data) is kept.
public enum ColorRouting {
    /// What ``prepare(_:for:bitDepth:)`` did, for logs and tests.
    public enum Route: String, Sendable, Codable {
        case toWorkingLinear, keepEncoding, encodeSRGB
    }

    /// The route for a file with `metadata` and pixels in `colorSpace`, written as `format` at `bitDepth`.
    public static func route(from metadata: ImageMetadata, colorSpace: ColorSpace, to format: ImageFormat, bitDepth: Int) -> Route {
        if isFloatTarget(format, bitDepth: bitDepth) { return .toWorkingLinear }
        let sourceIsSceneData = metadata.isFloat || metadata.format == .raw || metadata.format == .exr || metadata.format == .hdr
            || colorSpace.isLinear
        return sourceIsSceneData ? .encodeSRGB : .keepEncoding
    }

    /// Whether `format` at `bitDepth` stores floating-point samples.
    public static func isFloatTarget(_ format: ImageFormat, bitDepth: Int) -> Bool {
        format == .exr || format == .hdr || (format == .tiff && bitDepth == 32)
    }

    /// Returns `file` with pixels and metadata ready to be encoded as `format` at `bitDepth`
    /// (see the policy above). The returned metadata's `format` and `bitDepth` name the target.
    public static func prepare(_ file: ImageFile, for format: ImageFormat, bitDepth: Int) throws -> (file: ImageFile, route: Route) {
        let route = route(from: file.metadata, colorSpace: file.image.colorSpace, to: format, bitDepth: bitDepth)
        var meta = file.metadata
        meta.format = format
        meta.bitDepth = bitDepth
        meta.isFloat = isFloatTarget(format, bitDepth: bitDepth)
        var image = file.image
        switch route {
        case .keepEncoding:
            break
        case .toWorkingLinear:
            if image.colorSpace != .working || file.metadata.iccProfile != nil {
                image = try ColorPipeline.toWorking(image, iccProfile: file.metadata.iccProfile)
            }
            meta.iccProfile = nil
        case .encodeSRGB:
            let working = image.colorSpace == .working && file.metadata.iccProfile == nil
                ? image : try ColorPipeline.toWorking(image, iccProfile: file.metadata.iccProfile)
            image = ColorPipeline.fromWorking(working, to: .sRGB)
            meta.iccProfile = ColorPipeline.iccProfile(for: .sRGB)
        }
        return (ImageFile(image: image, metadata: meta), route)
    }
}
