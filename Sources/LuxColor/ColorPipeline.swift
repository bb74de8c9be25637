import LuxImage

/// The colour pipeline: decoded file values -> Lux's linear working space -> output encoding.
public enum ColorPipeline {
    /// Converts an image as decoded from a file (its `colorSpace`, or the ICC profile when given,
    /// which takes precedence) to ``ColorSpace/working`` (linear, sRGB primaries).
    public static func toWorking(_ image: Image, iccProfile: [UInt8]?) throws -> Image {
        fatalError("ColorPipeline.toWorking: not implemented yet")
    }

    /// Converts a working-space image to `space` (primaries and transfer curve) for encoding.
    public static func fromWorking(_ image: Image, to space: ColorSpace) -> Image {
        fatalError("ColorPipeline.fromWorking: not implemented yet")
    }

    /// An ICC profile describing `space`, for embedding in an output file.
    public static func iccProfile(for space: ColorSpace) -> [UInt8] {
        fatalError("ColorPipeline.iccProfile: not implemented yet")
    }
}
