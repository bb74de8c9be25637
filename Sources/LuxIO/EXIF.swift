import Foundation

/// A small reader for EXIF blocks (the TIFF structure after "Exif\0\0": "II*\0" little-endian or
/// "MM\0*" big-endian, then IFD0 and the Exif sub-IFD at tag 0x8769). Only the fields Lux uses are
/// read; every offset is bounds-checked, so a damaged block yields nil fields, never a crash.
public struct EXIFInfo: Sendable, Equatable {
    /// Orientation (0x0112), 1...8; 1 when absent or out of range.
    public var orientation: Int = 1
    /// Make (0x010F) and Model (0x0110), trailing NULs and spaces removed.
    public var make: String?
    public var model: String?
    /// DateTimeOriginal (0x9003), "YYYY:MM:DD HH:MM:SS".
    public var dateTimeOriginal: String?
    /// ExposureTime (0x829A) in seconds.
    public var exposureTime: Double?
    /// FNumber (0x829D), the f-stop.
    public var fNumber: Double?
    /// ISO speed (PhotographicSensitivity, 0x8827).
    public var iso: Int?
    /// FocalLength (0x920A) in millimetres.
    public var focalLength: Double?

    public init() {}
}

public enum EXIF {
    static let tagOrientation: UInt16 = 0x0112
    static let tagMake: UInt16 = 0x010F
    static let tagModel: UInt16 = 0x0110
    static let tagExifIFD: UInt16 = 0x8769
    static let tagDateTimeOriginal: UInt16 = 0x9003
    static let tagExposureTime: UInt16 = 0x829A
    static let tagFNumber: UInt16 = 0x829D
    static let tagISO: UInt16 = 0x8827
    static let tagFocalLength: UInt16 = 0x920A

    /// Parses `block` (starting at the TIFF header). Returns nil if it is not a TIFF structure.
    public static func parse(_ block: [UInt8]) -> EXIFInfo? {
        guard let r = Reader(block), let ifd0 = r.u32(4) else { return nil }
        var info = EXIFInfo()
        var exifIFD: Int?
        r.forEachEntry(ifd: Int(ifd0)) { e in
            switch e.tag {
            case tagOrientation:
                if let v = r.integer(e), (1...8).contains(v) { info.orientation = v }
            case tagMake: info.make = r.ascii(e)
            case tagModel: info.model = r.ascii(e)
            case tagExifIFD: exifIFD = r.integer(e)
            default: break
            }
        }
        if let sub = exifIFD {
            r.forEachEntry(ifd: sub) { e in
                switch e.tag {
                case tagDateTimeOriginal: info.dateTimeOriginal = r.ascii(e)
                case tagExposureTime: info.exposureTime = r.rational(e)
                case tagFNumber: info.fNumber = r.rational(e)
                case tagISO: info.iso = r.integer(e)
                case tagFocalLength: info.focalLength = r.rational(e)
                default: break
                }
            }
        }
        return info
    }

    /// The orientation stored in `block`, 1 if absent.
    public static func orientation(of block: [UInt8]) -> Int { parse(block)?.orientation ?? 1 }

    /// `block` with its IFD0 orientation tag rewritten to `value` (used after pixels have been
    /// turned upright). A block without the tag is returned unchanged (absent means 1).
    public static func settingOrientation(_ block: [UInt8], to value: Int = 1) -> [UInt8] {
        guard let r = Reader(block), let ifd0 = r.u32(4) else { return block }
        var out = block
        r.forEachEntry(ifd: Int(ifd0)) { e in
            guard e.tag == tagOrientation, e.type == 3, e.count == 1 else { return }
            let v = UInt16(clamping: value)
            let bytes: [UInt8] = r.little ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)]
            out[e.valueOffset] = bytes[0]
            out[e.valueOffset + 1] = bytes[1]
        }
        return out
    }

    /// Builds a minimal little-endian EXIF block with IFD0 holding Orientation and, when given,
    /// Make and Model. Useful for writing files and for tests.
    public static func make(orientation: Int, make: String? = nil, model: String? = nil) -> [UInt8] {
        var entries: [(tag: UInt16, type: UInt16, count: UInt32, data: [UInt8])] = []
        func ascii(_ s: String) -> [UInt8] { Array(s.utf8) + [0] }
        if let make { entries.append((tagMake, 2, UInt32(ascii(make).count), ascii(make))) }
        if let model { entries.append((tagModel, 2, UInt32(ascii(model).count), ascii(model))) }
        let o = UInt16(clamping: orientation)
        entries.append((tagOrientation, 3, 1, [UInt8(o & 0xFF), UInt8(o >> 8)]))
        entries.sort { $0.tag < $1.tag }
        func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * UInt32($0))) & 0xFF) } }
        var out: [UInt8] = [0x49, 0x49, 0x2A, 0x00] + le32(8)
        let ifdSize = 2 + entries.count * 12 + 4
        var extra: [UInt8] = []
        out += le16(UInt16(entries.count))
        for e in entries {
            out += le16(e.tag) + le16(e.type) + le32(e.count)
            if e.data.count <= 4 {
                out += e.data + [UInt8](repeating: 0, count: 4 - e.data.count)
            } else {
                out += le32(UInt32(8 + ifdSize + extra.count))
                extra += e.data
                if extra.count % 2 == 1 { extra.append(0) }
            }
        }
        out += le32(0)
        return out + extra
    }

    /// One IFD entry: tag, type, count, and where its value lies in the block.
    struct Entry {
        var tag: UInt16
        var type: UInt16
        var count: Int
        var valueOffset: Int
    }

    /// Bounds-checked, byte-order-aware access to a TIFF structure.
    struct Reader {
        let b: [UInt8]
        let little: Bool

        init?(_ bytes: [UInt8]) {
            guard bytes.count >= 8 else { return nil }
            if bytes[0] == 0x49, bytes[1] == 0x49, bytes[2] == 0x2A, bytes[3] == 0 { little = true }
            else if bytes[0] == 0x4D, bytes[1] == 0x4D, bytes[2] == 0, bytes[3] == 0x2A { little = false }
            else { return nil }
            b = bytes
        }

        func u16(_ o: Int) -> UInt16? {
            guard o >= 0, o + 2 <= b.count else { return nil }
            return little ? UInt16(b[o]) | UInt16(b[o + 1]) << 8 : UInt16(b[o]) << 8 | UInt16(b[o + 1])
        }

        func u32(_ o: Int) -> UInt32? {
            guard o >= 0, o + 4 <= b.count else { return nil }
            let v = (0..<4).map { UInt32(b[o + $0]) }
            return little ? v[0] | v[1] << 8 | v[2] << 16 | v[3] << 24 : v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3]
        }

        static func typeSize(_ t: UInt16) -> Int {
            switch t {
            case 1, 2, 6, 7: 1
            case 3, 8: 2
            case 4, 9, 11: 4
            case 5, 10, 12: 8
            default: 0
            }
        }

        func forEachEntry(ifd: Int, _ body: (Entry) -> Void) {
            guard let n = u16(ifd), n < 1000 else { return }
            for i in 0..<Int(n) {
                let p = ifd + 2 + i * 12
                guard let tag = u16(p), let type = u16(p + 2), let count = u32(p + 4) else { return }
                let size = Self.typeSize(type) * Int(count)
                guard size > 0 else { continue }
                let off: Int
                if size <= 4 { off = p + 8 } else {
                    guard let o = u32(p + 8) else { continue }
                    off = Int(o)
                }
                guard off >= 0, off + size <= b.count else { continue }
                body(Entry(tag: tag, type: type, count: Int(count), valueOffset: off))
            }
        }

        func integer(_ e: Entry) -> Int? {
            switch e.type {
            case 3, 8: u16(e.valueOffset).map { Int($0) }
            case 4, 9: u32(e.valueOffset).map { Int($0) }
            case 1, 7: Int(b[e.valueOffset])
            default: nil
            }
        }

        func rational(_ e: Entry) -> Double? {
            guard e.type == 5 || e.type == 10, let n = u32(e.valueOffset), let d = u32(e.valueOffset + 4), d != 0
            else { return nil }
            return e.type == 10 ? Double(Int32(bitPattern: n)) / Double(Int32(bitPattern: d)) : Double(n) / Double(d)
        }

        func ascii(_ e: Entry) -> String? {
            guard e.type == 2 else { return nil }
            var bytes = Array(b[e.valueOffset..<(e.valueOffset + e.count)])
            if let z = bytes.firstIndex(of: 0) { bytes.removeSubrange(z...) }
            let s = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            return s.isEmpty ? nil : s
        }
    }
}
