import Foundation

/// Reads the human-readable description of an ICC profile (its `desc` tag), e.g. "sRGB IEC61966-2.1".
///
/// ICC layout (ICC.1:2010): 128-byte header, then a tag count (UInt32 BE) and 12-byte entries
/// (signature, offset, size). The `desc` tag is either type `desc` (v2: ASCII count at +8, text at +12)
/// or `mluc` (v4: record count at +8, records of 12 bytes from +16 with UTF-16BE text).
public enum ICCDescription {
    /// The description, or nil if the profile is malformed or has none.
    public static func read(_ icc: [UInt8]) -> String? {
        func u32(_ o: Int) -> Int? {
            guard o >= 0, o + 4 <= icc.count else { return nil }
            return Int(icc[o]) << 24 | Int(icc[o + 1]) << 16 | Int(icc[o + 2]) << 8 | Int(icc[o + 3])
        }
        guard let count = u32(128), count < 1000 else { return nil }
        for i in 0..<count {
            let entry = 132 + 12 * i
            guard let sig = u32(entry), let off = u32(entry + 4), let size = u32(entry + 8) else { return nil }
            guard sig == 0x6465_7363, off + size <= icc.count, size >= 12 else { continue } // 'desc'
            let type = u32(off)
            if type == 0x6465_7363, let n = u32(off + 8), n > 0, off + 12 + n <= icc.count { // 'desc'
                let bytes = icc[(off + 12)..<(off + 12 + n)].prefix { $0 != 0 }
                return String(decoding: bytes, as: UTF8.self).trimmed
            }
            if type == 0x6D6C_7563, let records = u32(off + 8), records > 0, // 'mluc'
               let len = u32(off + 16 + 4), let start = u32(off + 16 + 8), off + start + len <= icc.count {
                var units: [UInt16] = []
                var k = off + start
                while k + 1 < off + start + len { units.append(UInt16(icc[k]) << 8 | UInt16(icc[k + 1])); k += 2 }
                return String(decoding: units, as: UTF16.self).trimmed
            }
        }
        return nil
    }
}

extension String {
    fileprivate var trimmed: String {
        String(unicodeScalars.filter { $0.value >= 0x20 }).trimmingCharacters(in: .whitespaces)
    }
}
