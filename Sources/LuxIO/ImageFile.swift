import Foundation
import LuxImage

/// What a file says about its image beyond the pixels. Kept so that writing can preserve it.
public struct ImageMetadata: Sendable, Equatable {
    public var format: ImageFormat
    /// Bits per sample in the file (8, 16, 32 for float; RAW: the sensor's bit depth).
    public var bitDepth: Int
    /// Whether samples in the file are floating point (TIFF float, EXR, HDR).
    public var isFloat: Bool
    /// The embedded ICC profile, byte for byte, if any.
    public var iccProfile: [UInt8]?
    /// The raw EXIF block (TIFF structure starting with "II*\0" or "MM\0*", without the "Exif\0\0" prefix).
    public var exif: [UInt8]?
    /// EXIF orientation (1...8) as found in the file. Decoders apply it to the pixels and then
    /// report 1 here, so it is never applied twice; `originalOrientation` keeps the file's value.
    public var orientation: Int
    public var originalOrientation: Int
    /// Camera make and model (RAW and EXIF), when known.
    public var cameraMake: String?
    public var cameraModel: String?

    public init(format: ImageFormat, bitDepth: Int, isFloat: Bool = false, iccProfile: [UInt8]? = nil,
                exif: [UInt8]? = nil, orientation: Int = 1, originalOrientation: Int = 1,
                cameraMake: String? = nil, cameraModel: String? = nil) {
        self.format = format
        self.bitDepth = bitDepth
        self.isFloat = isFloat
        self.iccProfile = iccProfile
        self.exif = exif
        self.orientation = orientation
        self.originalOrientation = originalOrientation
        self.cameraMake = cameraMake
        self.cameraModel = cameraModel
    }
}

/// An image as decoded from a file: pixel values as the file encodes them (for an sRGB JPEG: the
/// sRGB-encoded values scaled to [0, 1]), `image.colorSpace` says which space that is when Lux knows
/// it, and `metadata.iccProfile` carries the file's own profile when there is one.
public struct ImageFile: Sendable {
    public var image: Image
    public var metadata: ImageMetadata

    public init(image: Image, metadata: ImageMetadata) {
        self.image = image
        self.metadata = metadata
    }
}

/// Options for decoding.
public struct DecodeOptions: Sendable {
    /// Images whose header claims more pixels than this are refused before allocation.
    public var maxPixels: Int
    /// Apply the EXIF orientation so the pixels are upright.
    public var applyOrientation: Bool

    /// Default pixel limit: 300 megapixels (a 100-megapixel RAW fits three times over).
    public static let defaultMaxPixels = 300_000_000

    public init(maxPixels: Int = DecodeOptions.defaultMaxPixels, applyOrientation: Bool = true) {
        self.maxPixels = maxPixels
        self.applyOrientation = applyOrientation
    }

    /// Throws ``ImageIOError/tooLarge`` if `width * height` exceeds the limit or a dimension is not positive.
    public func checkDimensions(width: Int, height: Int, path: String) throws {
        guard width > 0, height > 0 else {
            throw ImageIOError.corrupt(path: path, detail: "invalid dimensions \(width)x\(height)")
        }
        let (product, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || product > maxPixels {
            throw ImageIOError.tooLarge(path: path, width: width, height: height, limit: maxPixels)
        }
    }
}

/// Options for encoding.
public struct EncodeOptions: Sendable {
    /// JPEG quality, 1...100.
    public var quality: Int
    /// Bits per sample for PNG and TIFF: 8 or 16; TIFF also 32 (float). EXR: 16 (half) or 32 (float).
    public var bitDepth: Int
    /// JPEG chroma subsampling: true for 4:2:0, false for 4:4:4.
    public var chromaSubsampling: Bool

    public init(quality: Int = 92, bitDepth: Int = 8, chromaSubsampling: Bool = true) {
        self.quality = quality
        self.bitDepth = bitDepth
        self.chromaSubsampling = chromaSubsampling
    }
}

/// A decoder and encoder for one format. Decoders work from bytes in memory; `path` is only used
/// in error messages.
public protocol ImageCodec: Sendable {
    static var format: ImageFormat { get }
    /// Reads only the header: dimensions, bit depth and metadata, no pixels.
    static func probe(_ data: Data, path: String) throws -> (width: Int, height: Int, metadata: ImageMetadata)
    static func decode(_ data: Data, path: String, options: DecodeOptions) throws -> ImageFile
    static func encode(_ file: ImageFile, options: EncodeOptions) throws -> Data
}
