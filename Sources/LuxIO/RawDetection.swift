import Foundation

/// Tells TIFF-structured camera RAW (DNG, CR2, NEF, ARW...) from plain TIFF, by reading a few IFDs.
///
/// A TIFF file is RAW when any of these holds:
/// 1. bytes 8...9 are `"CR"` (Canon CR2);
/// 2. IFD0 has the DNGVersion tag (50706);
/// 3. IFD0, an IFD chained after it, or one of IFD0's SubIFDs (tag 330) has photometric
///    interpretation CFA (32803) or LinearRaw (34892), i.e. a sensor mosaic (NEF, ARW, PEF...);
/// 4. IFD0's Make starts with "SONY" and IFD0 carries Sony's private SR2 data (tag 50740).
/// At most 8 IFDs are inspected, and every offset is bounds-checked, so bad input just yields false.
enum RawDetection {
    static func isCameraRaw(_ data: Data) -> Bool {
        let b = [UInt8](data.prefix(1 << 20))  // IFDs of RAW files sit near the start
        guard b.count >= 16 else { return false }
        let little: Bool
        switch (b[0], b[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return false
        }
        if b[8] == 0x43, b[9] == 0x52 { return true }  // "CR"
        func u16(_ o: Int) -> Int? {
            guard o >= 0, o + 2 <= b.count else { return nil }
            return little ? Int(b[o]) | Int(b[o + 1]) << 8 : Int(b[o]) << 8 | Int(b[o + 1])
        }
        func u32(_ o: Int) -> Int? {
            guard let lo = u16(little ? o : o + 2), let hi = u16(little ? o + 2 : o) else { return nil }
            return lo | hi << 16
        }
        guard u16(2) == 42, let first = u32(4) else { return false }  // BigTIFF is never RAW here
        var queue = [first], seen = Set<Int>(), isIFD0 = true
        while let ifd = queue.first, seen.count < 8 {
            queue.removeFirst()
            guard ifd > 0, !seen.contains(ifd), let count = u16(ifd), count < 1000 else { isIFD0 = false; continue }
            seen.insert(ifd)
            var make = ""
            var hasSR2 = false
            for i in 0..<count {
                let e = ifd + 2 + i * 12
                guard let tag = u16(e), let type = u16(e + 2), let n = u32(e + 4) else { break }
                let value = type == 3 ? u16(e + 8) : u32(e + 8)
                switch tag {
                case 50706 where isIFD0: return true
                case 262 where value == 32803 || value == 34892: return true
                case 330:  // SubIFDs: LONG or IFD offsets, inline when one
                    if n == 1, let v = value { queue.append(v) } else if let p = u32(e + 8) {
                        for k in 0..<min(n, 4) { if let v = u32(p + 4 * k) { queue.append(v) } }
                    }
                case 271 where isIFD0 && type == 2:
                    if let p = n <= 4 ? e + 8 : u32(e + 8), p + n <= b.count {
                        make = String(decoding: b[p..<(p + n)].prefix { $0 != 0 }, as: UTF8.self)
                    }
                case 50740 where isIFD0: hasSR2 = true
                default: break
                }
            }
            if isIFD0, hasSR2, make.uppercased().hasPrefix("SONY") { return true }
            if let next = u32(ifd + 2 + count * 12), next > 0 { queue.append(next) }
            isIFD0 = false
        }
        return false
    }
}
