import Foundation
import LuxImage

/// Reading and writing image files: format detection by content, the codec for each format,
/// size limits, and atomic writes.
public enum ImageIO {
    /// The codec that handles `format`, or nil if this build has none.
    public static func codec(for format: ImageFormat) -> (any ImageCodec.Type)? {
        switch format {
        case .jpeg: return JPEGCodec.self
        case .png: return PNGCodec.self
        default: return nil
        }
    }

    /// Detects the format of file contents. TIFF-structured camera RAW (DNG, CR2, NEF, ARW...) is
    /// told apart from plain TIFF here.
    public static func detectFormat(_ data: Data) -> ImageFormat? {
        ImageFormat.sniff(data.prefix(16))
    }

    /// Reads the file at `path` (format detected from its bytes).
    public static func read(path: String, options: DecodeOptions = DecodeOptions()) throws -> ImageFile {
        let data = try readBytes(path: path)
        guard let format = detectFormat(data) else {
            throw ImageIOError.unsupportedFormat(path: path, detail: "content is not JPEG, PNG, TIFF, camera RAW, Radiance HDR or OpenEXR")
        }
        guard let codec = codec(for: format) else {
            throw ImageIOError.unsupportedFormat(path: path, detail: "no \(format.rawValue) decoder in this build")
        }
        return try codec.decode(data, path: path, options: options)
    }

    /// Reads only the header of the file at `path`.
    public static func probe(path: String) throws -> (width: Int, height: Int, metadata: ImageMetadata) {
        let data = try readBytes(path: path)
        guard let format = detectFormat(data), let codec = codec(for: format) else {
            throw ImageIOError.unsupportedFormat(path: path, detail: "not a recognised image file")
        }
        return try codec.probe(data, path: path)
    }

    /// Encodes `file` as `format` and writes it to `path` atomically (a temporary file in the same
    /// folder, then rename), so a failure never leaves a partial output.
    public static func write(_ file: ImageFile, to path: String, format: ImageFormat, options: EncodeOptions = EncodeOptions()) throws {
        guard let codec = codec(for: format) else {
            throw ImageIOError.unsupportedEncoding(format: format, detail: "no encoder in this build")
        }
        let data = try codec.encode(file, options: options)
        try writeAtomically(data, to: path)
    }

    static func readBytes(path: String) throws -> Data {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
            throw ImageIOError.fileNotFound(path: path)
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe) } catch {
            throw ImageIOError.unsupportedFormat(path: path, detail: "cannot read: \(error.localizedDescription)")
        }
        if data.isEmpty { throw ImageIOError.emptyFile(path: path) }
        return data
    }

    /// Writes `data` to a temporary file beside `path`, then renames it over `path`.
    public static func writeAtomically(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).lux-\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try data.write(to: tmp)
        } catch {
            throw ImageIOError.cannotWrite(path: path, detail: (error as NSError).localizedFailureReason ?? "\(error.localizedDescription)")
        }
        if rename(tmp.path, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(tmp.path)
            throw ImageIOError.cannotWrite(path: path, detail: reason)
        }
    }
}
