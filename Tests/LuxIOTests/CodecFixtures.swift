import Foundation

/// Shared data and byte-level fixtures for the TIFF / RAW / HDR / EXR codec tests.
enum CodecFixtures {
    /// `../shared/data` next to the package root, found by walking up from this file; nil if absent.
    static let dataDir: String? = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                let d = url.deletingLastPathComponent().appendingPathComponent("shared/data").path
                return FileManager.default.fileExists(atPath: d) ? d : nil
            }
            url = url.deletingLastPathComponent()
        }
        return nil
    }()

    static func path(_ rel: String) -> String? {
        guard let d = dataDir else { return nil }
        let p = d + "/" + rel
        return FileManager.default.fileExists(atPath: p) ? p : nil
    }

    static func bytes(_ rel: String) -> Data? {
        path(rel).flatMap { FileManager.default.contents(atPath: $0) }
    }
}

/// A little-endian classic TIFF writer for test fixtures: one IFD, entries sorted by tag, values
/// larger than 4 bytes placed after the IFD, pixel data (strips or tiles) placed before it.
struct MiniTIFF {
    enum Value {
        case short([UInt16]), long([UInt32]), ascii(String), bytes([UInt8]), rational([(UInt32, UInt32)]), srational([(Int32, Int32)])
        var type: UInt16 {
            switch self { case .bytes: 1; case .ascii: 2; case .short: 3; case .long: 4; case .rational: 5; case .srational: 10 }
        }
        var count: Int {
            switch self {
            case .short(let v): v.count
            case .long(let v): v.count
            case .ascii(let s): s.utf8.count + 1
            case .bytes(let v): v.count
            case .rational(let v): v.count
            case .srational(let v): v.count
            }
        }
        var encoded: [UInt8] {
            switch self {
            case .short(let v): v.flatMap { le16($0) }
            case .long(let v): v.flatMap { le32($0) }
            case .ascii(let s): Array(s.utf8) + [0]
            case .bytes(let v): v
            case .rational(let v): v.flatMap { le32($0.0) + le32($0.1) }
            case .srational(let v): v.flatMap { le32(UInt32(bitPattern: $0.0)) + le32(UInt32(bitPattern: $0.1)) }
            }
        }
    }

    var entries: [UInt16: Value] = [:]
    /// Pixel data blocks (strips or tiles), in order.
    var blocks: [[UInt8]] = []
    /// Tag that receives the block offsets (273 strips, 324 tiles) and byte counts (279 / 325).
    var offsetsTag: UInt16 = 273
    var countsTag: UInt16 = 279

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * UInt32($0))) & 0xFF) } }

    func build() -> Data {
        var out: [UInt8] = [0x49, 0x49, 42, 0, 0, 0, 0, 0]
        var offsets = [UInt32]()
        for b in blocks {
            offsets.append(UInt32(out.count))
            out += b
            if out.count % 2 == 1 { out.append(0) }
        }
        var all = entries
        if !blocks.isEmpty {
            all[offsetsTag] = .long(offsets)
            all[countsTag] = .long(blocks.map { UInt32($0.count) })
        }
        let ifd = out.count
        out.replaceSubrange(4..<8, with: Self.le32(UInt32(ifd)))
        let tags = all.keys.sorted()
        var extra = [UInt8]()
        let extraStart = ifd + 2 + tags.count * 12 + 4
        var dir = Self.le16(UInt16(tags.count))
        for tag in tags {
            let v = all[tag]!
            dir += Self.le16(tag) + Self.le16(v.type) + Self.le32(UInt32(v.count))
            var enc = v.encoded
            if enc.count <= 4 {
                dir += enc + [UInt8](repeating: 0, count: 4 - enc.count)
            } else {
                dir += Self.le32(UInt32(extraStart + extra.count))
                if enc.count % 2 == 1 { enc.append(0) }
                extra += enc
            }
        }
        out += dir + Self.le32(0) + extra
        return Data(out)
    }
}
