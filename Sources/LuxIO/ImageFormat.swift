import Foundation

/// File formats Lux reads and writes. Detected from content (magic bytes), never from the extension.
public enum ImageFormat: String, Sendable, Codable, CaseIterable {
    case jpeg, png, tiff, raw, hdr, exr

    /// Detects the format from the first bytes of a file; `nil` if Lux does not recognise it.
    /// TIFF-based camera RAW files (DNG, CR2, NEF, ARW...) are reported as `.raw` only when the
    /// caller's probe says so (see ``ImageIO/detectFormat(_:)``); plain magic checks live here.
    public static func sniff(_ head: some Collection<UInt8>) -> ImageFormat? {
        let b = Array(head.prefix(16))
        func starts(_ p: [UInt8]) -> Bool { b.count >= p.count && Array(b[0..<p.count]) == p }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if starts([0x49, 0x49, 0x2B, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2B]) { return .tiff } // BigTIFF
        if starts([0x76, 0x2F, 0x31, 0x01]) { return .exr }
        if starts(Array("#?RADIANCE".utf8)) || starts(Array("#?RGBE".utf8)) { return .hdr }
        if starts([0x49, 0x49, 0x52, 0x4F]) || starts([0x49, 0x49, 0x55, 0x00]) { return .raw } // ORF, RW2
        if starts(Array("FUJIFILM".utf8)) { return .raw } // RAF
        return nil
    }

    /// The usual file extension for writing.
    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .tiff: "tif"
        case .raw: "dng"
        case .hdr: "hdr"
        case .exr: "exr"
        }
    }

    /// The format implied by an output file name (used only for choosing an *output* format).
    public static func forOutput(path: String) -> ImageFormat? {
        switch (path as NSString).pathExtension.lowercased() {
        case "jpg", "jpeg", "jpe": .jpeg
        case "png": .png
        case "tif", "tiff": .tiff
        case "hdr", "rgbe", "pic": .hdr
        case "exr": .exr
        default: nil
        }
    }
}
