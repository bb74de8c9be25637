import Foundation

/// JPEG marker segments read and written in Swift: the APP1 "Exif\0\0" block and the APP2
/// "ICC_PROFILE\0" chunks (each: sequence number 1...n, count n, then up to 65519 profile bytes).
enum JPEGMarkers {
    static let exifPrefix: [UInt8] = Array("Exif".utf8) + [0, 0]
    static let iccPrefix: [UInt8] = Array("ICC_PROFILE".utf8) + [0]
    /// Largest ICC payload per APP2 segment: 65535 - 2 (length) - 12 (prefix) - 2 (seq, count).
    static let iccChunkSize = 65519

    /// The EXIF block (without its "Exif\0\0" prefix) and the reassembled ICC profile, scanning
    /// header segments up to the first SOS. Malformed segments end the scan without an error
    /// (TurboJPEG reports real damage when decoding).
    static func readMetadata(_ d: UnsafeRawBufferPointer) -> (exif: [UInt8]?, icc: [UInt8]?) {
        let b = d.bindMemory(to: UInt8.self)
        guard b.count >= 4, b[0] == 0xFF, b[1] == 0xD8 else { return (nil, nil) }
        var exif: [UInt8]?
        var iccChunks: [Int: [UInt8]] = [:]
        var iccCount = 0
        var p = 2
        while p + 4 <= b.count {
            guard b[p] == 0xFF else { break }
            let marker = b[p + 1]
            if marker == 0xFF { p += 1; continue } // fill byte
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { p += 2; continue }
            if marker == 0xDA || marker == 0xD9 { break } // start of scan / end of image
            let len = Int(b[p + 2]) << 8 | Int(b[p + 3])
            guard len >= 2, p + 2 + len <= b.count else { break }
            let start = p + 4, end = p + 2 + len
            func has(_ prefix: [UInt8]) -> Bool {
                end - start >= prefix.count && prefix.indices.allSatisfy { b[start + $0] == prefix[$0] }
            }
            if marker == 0xE1, exif == nil, has(exifPrefix) {
                exif = Array(b[(start + exifPrefix.count)..<end])
            } else if marker == 0xE2, has(iccPrefix), end - start >= iccPrefix.count + 2 {
                let seq = Int(b[start + 12]), count = Int(b[start + 13])
                iccCount = max(iccCount, count)
                iccChunks[seq] = Array(b[(start + 14)..<end])
            }
            p = end
        }
        var icc: [UInt8]?
        if iccCount > 0, (1...iccCount).allSatisfy({ iccChunks[$0] != nil }) {
            icc = (1...iccCount).flatMap { iccChunks[$0]! }
        } else if !iccChunks.isEmpty {
            icc = iccChunks.keys.sorted().flatMap { iccChunks[$0]! } // tolerate a wrong count field
        }
        return (exif, icc)
    }

    /// APP1 and APP2 segments for `exif` and `icc`, ready to be spliced after SOI/APP0.
    static func segments(exif: [UInt8]?, icc: [UInt8]?) -> [UInt8] {
        var out: [UInt8] = []
        func segment(_ marker: UInt8, _ payload: [UInt8]) {
            let len = payload.count + 2
            out += [0xFF, marker, UInt8(len >> 8), UInt8(len & 0xFF)]
            out += payload
        }
        if let exif, !exif.isEmpty, exif.count + exifPrefix.count + 2 <= 65535 {
            segment(0xE1, exifPrefix + exif)
        }
        if let icc, !icc.isEmpty {
            let n = (icc.count + iccChunkSize - 1) / iccChunkSize
            if n <= 255 {
                for i in 0..<n {
                    let lo = i * iccChunkSize, hi = min(icc.count, lo + iccChunkSize)
                    segment(0xE2, iccPrefix + [UInt8(i + 1), UInt8(n)] + icc[lo..<hi])
                }
            }
        }
        return out
    }

    /// Byte offset just after SOI and, when present, the JFIF APP0 segment that follows it.
    static func insertionPoint(_ jpeg: UnsafeRawBufferPointer) -> Int {
        let b = jpeg.bindMemory(to: UInt8.self)
        var p = 2
        if b.count >= 6, b[2] == 0xFF, b[3] == 0xE0 {
            let len = Int(b[4]) << 8 | Int(b[5])
            if p + 2 + len <= b.count { p += 2 + len }
        }
        return p
    }
}
