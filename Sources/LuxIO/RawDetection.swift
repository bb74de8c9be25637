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
    /// One IFD entry: type, count, and the value field (first value if inline, else the offset).
    struct Entry { var type: Int; var count: Int; var value: Int; var field: Int }

    /// IFD0, its chain and SubIFDs (at most 8), each as tag -> entry; empty if not classic TIFF.
    static func scan(_ b: [UInt8]) -> (ifds: [[Int: Entry]], little: Bool) {
        guard b.count >= 16 else { return ([], true) }
        let little: Bool
        switch (b[0], b[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return ([], true)
        }
        func u16(_ o: Int) -> Int? {
            guard o >= 0, o + 2 <= b.count else { return nil }
            return little ? Int(b[o]) | Int(b[o + 1]) << 8 : Int(b[o]) << 8 | Int(b[o + 1])
        }
        func u32(_ o: Int) -> Int? {
            guard let lo = u16(little ? o : o + 2), let hi = u16(little ? o + 2 : o) else { return nil }
            return lo | hi << 16
        }
        guard u16(2) == 42, let first = u32(4) else { return ([], little) }  // BigTIFF is never RAW here
        var ifds = [[Int: Entry]]()
        var queue = [first], seen = Set<Int>()
        while !queue.isEmpty, seen.count < 8 {
            let ifd = queue.removeFirst()
            guard ifd > 0, !seen.contains(ifd), let count = u16(ifd), count < 1000 else { continue }
            seen.insert(ifd)
            var entries = [Int: Entry]()
            for i in 0..<count {
                let e = ifd + 2 + i * 12
                guard let tag = u16(e), let type = u16(e + 2), let n = u32(e + 4) else { break }
                let value = (type == 3 ? u16(e + 8) : u32(e + 8)) ?? 0
                entries[tag] = Entry(type: type, count: n, value: value, field: e + 8)
                if tag == 330 {  // SubIFDs: inline when one, else an array of offsets
                    if n == 1 { queue.append(value) } else { for k in 0..<min(n, 4) { if let v = u32(value + 4 * k) { queue.append(v) } } }
                }
            }
            ifds.append(entries)
            if let next = u32(ifd + 2 + count * 12), next > 0 { queue.append(next) }
        }
        return (ifds, little)
    }

    static func isCameraRaw(_ data: Data) -> Bool {
        let b = [UInt8](data.prefix(1 << 20))  // IFDs of RAW files sit near the start
        guard b.count >= 16, b[0] == b[1], b[0] == 0x49 || b[0] == 0x4D else { return false }
        if b[8] == 0x43, b[9] == 0x52 { return true }  // "CR"
        let ifds = scan(b).ifds
        guard let ifd0 = ifds.first else { return false }
        if ifd0[50706] != nil { return true }
        if ifds.contains(where: { $0[262].map { $0.value == 32803 || $0.value == 34892 } ?? false }) { return true }
        if ifd0[50740] != nil, let make = ifd0[271], make.type == 2 {
            let p = make.count <= 4 ? make.field : make.value
            if p >= 0, p + min(make.count, 4) <= b.count, String(decoding: b[p..<(p + min(make.count, 4))], as: UTF8.self).uppercased() == "SONY" {
                return true
            }
        }
        return false
    }

    /// The largest width x height any inspected IFD declares (the raw image of a TIFF-based RAW),
    /// so a decoder can refuse a decompression bomb before handing the file to LibRaw, whose
    /// 16-bit size fields cannot even represent dimensions above 65535.
    static func largestImage(_ data: Data) -> (width: Int, height: Int)? {
        let ifds = scan([UInt8](data.prefix(1 << 20))).ifds
        var best: (Int, Int)? = nil
        for ifd in ifds {
            guard let w = ifd[256]?.value, let h = ifd[257]?.value else { continue }
            if best == nil || w * h > best!.0 * best!.1 { best = (w, h) }
        }
        return best.map { (width: $0.0, height: $0.1) }
    }
}
