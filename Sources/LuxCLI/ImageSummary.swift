import Foundation
import LuxColor
import LuxIO

/// What `lux info` reports about one file. Keys are stable (they are part of the `--json` output).
public struct ImageSummary: Codable, Sendable, Equatable {
    public var path: String
    /// `jpeg`, `png`, `tiff`, `raw`, `hdr` or `exr`.
    public var format: String
    public var width: Int
    public var height: Int
    /// Bits per sample in the file.
    public var bitDepth: Int
    public var isFloat: Bool
    /// 1 (grey), 2 (grey + alpha), 3 (RGB), 4 (RGBA, or CMYK for JPEG), when the header says; else nil.
    public var channels: Int?
    /// The colour space: identified from the embedded ICC profile (primaries and curve) when Lux
    /// recognises it, else the profile's own description, else the format's default.
    public var colorSpace: String
    /// The embedded ICC profile's description tag, if there is a profile.
    public var iccDescription: String?
    /// `icc` when `colorSpace` comes from an embedded profile, `default` otherwise.
    public var colorSpaceSource: String
    public var fileSize: Int
    public var exif: ExifSummary?

    /// The EXIF fields `lux info` shows; each is nil when absent.
    public struct ExifSummary: Codable, Sendable, Equatable {
        public var camera: String?
        public var date: String?
        /// Exposure time in seconds.
        public var exposureTime: Double?
        public var fNumber: Double?
        public var iso: Int?
        /// Focal length in millimetres.
        public var focalLength: Double?

        public init(camera: String? = nil, date: String? = nil, exposureTime: Double? = nil, fNumber: Double? = nil,
                    iso: Int? = nil, focalLength: Double? = nil) {
            self.camera = camera
            self.date = date
            self.exposureTime = exposureTime
            self.fNumber = fNumber
            self.iso = iso
            self.focalLength = focalLength
        }

        var isEmpty: Bool { self == ExifSummary() }
    }

    /// Summarises the file at `path` from its header only (``ImageIO/probe(path:)``).
    public static func make(path: String) throws -> ImageSummary {
        let (width, height, meta) = try ImageIO.probe(path: path)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        var space = defaultColorSpace(meta)
        var source = "default"
        var iccName: String?
        if let icc = meta.iccProfile {
            iccName = ICCDescription.read(icc)
            if let known = (try? ICCProfile(bytes: icc))?.knownSpace {
                space = known.description
                source = "icc"
            } else if let iccName, !iccName.isEmpty {
                space = iccName
                source = "icc"
            }
        }
        var exif = ExifSummary()
        if let block = meta.exif, let e = EXIF.parse(block) {
            exif = ExifSummary(camera: [e.make, e.model].compactMap { $0 }.joined(separator: " "), date: e.dateTimeOriginal,
                               exposureTime: e.exposureTime, fNumber: e.fNumber, iso: e.iso, focalLength: e.focalLength)
            if exif.camera?.isEmpty == true { exif.camera = nil }
        }
        let camera = [meta.cameraMake, meta.cameraModel].compactMap { $0?.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        if !camera.isEmpty && exif.camera == nil { exif.camera = camera }
        return ImageSummary(path: path, format: meta.format.rawValue, width: width, height: height,
                            bitDepth: meta.bitDepth, isFloat: meta.isFloat, channels: HeaderChannels.read(path: path),
                            colorSpace: space, iccDescription: iccName, colorSpaceSource: source, fileSize: size,
                            exif: exif.isEmpty ? nil : exif)
    }

    /// The colour space a file of this kind has when it carries no ICC profile.
    public static func defaultColorSpace(_ meta: ImageMetadata) -> String {
        switch meta.format {
        case .exr, .hdr: "linear Rec. 709 (scene-referred, by convention)"
        case .raw: "camera RGB (linear, converted by the RAW decoder)"
        case .tiff where meta.isFloat: "linear (float TIFF without profile; assumed linear Rec. 709)"
        default: "sRGB (assumed: no embedded profile)"
        }
    }

    /// The human-readable block printed by `lux info` without `--json`.
    public var text: String {
        var lines = [
            "\(path):",
            "  format:      \(format)",
            "  size:        \(width) x \(height) (\(String(format: "%.1f", Double(width * height) / 1e6)) MP)",
            "  bit depth:   \(bitDepth)\(isFloat ? " (float)" : "")",
        ]
        if let channels { lines.append("  channels:    \(channels)") }
        lines.append("  colour:      \(colorSpace)\(colorSpaceSource == "icc" ? " (embedded ICC" + (iccDescription.map { ": \($0)" } ?? "") + ")" : "")")
        if let e = exif {
            if let v = e.camera { lines.append("  camera:      \(v)") }
            if let v = e.date { lines.append("  date:        \(v)") }
            if let v = e.exposureTime {
                lines.append("  exposure:    " + (v < 1 && v > 0 ? "1/\(Int((1 / v).rounded())) s" : String(format: "%g s", v)))
            }
            if let v = e.fNumber { lines.append("  aperture:    f/\(String(format: "%g", v))") }
            if let v = e.iso { lines.append("  ISO:         \(v)") }
            if let v = e.focalLength { lines.append("  focal:       \(String(format: "%g", v)) mm") }
        }
        lines.append("  file size:   \(fileSize) bytes")
        return lines.joined(separator: "\n")
    }
}

/// Reads the channel count from a PNG or JPEG header (the codecs' probe does not report it).
enum HeaderChannels {
    /// PNG: IHDR colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA). JPEG: Nf of the first SOF marker.
    static func read(path: String) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 65536)) ?? Data())
        if head.count >= 26, head[0] == 0x89, head[1] == 0x50 {
            switch head[25] { case 0: return 1; case 2, 3: return 3; case 4: return 2; case 6: return 4; default: return nil }
        }
        if head.count >= 4, head[0] == 0xFF, head[1] == 0xD8 {
            var i = 2
            while i + 9 < head.count {
                guard head[i] == 0xFF else { return nil }
                let marker = head[i + 1]
                if marker == 0xFF { i += 1; continue }
                let length = Int(head[i + 2]) << 8 | Int(head[i + 3])
                if (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker) { return Int(head[i + 9]) }
                i += 2 + length
            }
        }
        return nil
    }
}
