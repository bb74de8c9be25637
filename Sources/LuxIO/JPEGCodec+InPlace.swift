import LuxImage

extension JPEGCodec {
    /// Expands `n` interleaved RGB bytes stored at byte offset `9n` of `base` into three Float planes
    /// (`v / 255`) occupying bytes `0..<12n` of the same buffer.
    ///
    /// Safety of the overlap: R and G planes (bytes `0..<8n`) and the first quarter of the B plane
    /// (`8n..<9n`) never touch the bytes, so they are written in parallel first (phase 1). The B
    /// float of pixel `i >= n/4` lands on the bytes of pixels `j < (4i - n + 2) / 3 < i`, so the rest
    /// of the B plane is written in waves `[a_k, a_{k+1})` with `a_{k+1} <= (3 a_k + n) / 4`: each
    /// wave only overwrites bytes whose B value an earlier wave (or phase 1) already read.
    /// All accesses to the shared region go through the raw pointer.
    static func expandInPlace(_ base: UnsafeMutableRawPointer, count n: Int) {
        nonisolated(unsafe) let base = base
        let src = 9 * n
        let quarter = n / 4
        byteToFloat.withUnsafeBufferPointer { lut in
            nonisolated(unsafe) let t = lut.baseAddress!
            // Phase 1: R and G for every pixel, B for the first quarter.
            Parallel.forRanges(n, minChunk: 1 << 16) { r in
                for i in r {
                    let p = src + 3 * i
                    let rv = t[Int(base.load(fromByteOffset: p, as: UInt8.self))]
                    let gv = t[Int(base.load(fromByteOffset: p + 1, as: UInt8.self))]
                    base.storeBytes(of: rv, toByteOffset: 4 * i, as: Float.self)
                    base.storeBytes(of: gv, toByteOffset: 4 * (n + i), as: Float.self)
                }
                for i in r.clamped(to: 0..<quarter) {
                    let bv = t[Int(base.load(fromByteOffset: src + 3 * i + 2, as: UInt8.self))]
                    base.storeBytes(of: bv, toByteOffset: 4 * (2 * n + i), as: Float.self)
                }
            }
            // Phase 2: the rest of B in waves, then a short sequential tail.
            func blue(_ r: Range<Int>) {
                for i in r {
                    let bv = t[Int(base.load(fromByteOffset: src + 3 * i + 2, as: UInt8.self))]
                    base.storeBytes(of: bv, toByteOffset: 4 * (2 * n + i), as: Float.self)
                }
            }
            var a = quarter
            while n - a > 4096 {
                let next = (3 * a + n) / 4
                let lo = a
                Parallel.forRanges(next - lo, minChunk: 1 << 15) { r in blue((lo + r.lowerBound)..<(lo + r.upperBound)) }
                a = next
            }
            blue(a..<n)
        }
    }
}
