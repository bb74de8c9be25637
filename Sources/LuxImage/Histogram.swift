/// Exact pixel histograms.
///
/// Binning: for range `[lo, hi]` and `n` bins, value `v` goes to bin `floor((v - lo) / (hi - lo) * n)`,
/// clamped to `0 ..< n`. So `v == hi` lands in the last bin, values below `lo` in bin 0, values
/// above `hi` in bin `n - 1`, and NaN in bin 0. Counting is exact (integer counts per thread chunk,
/// merged at the end), so the counts of each channel sum to `width * height`.
public struct ChannelHistograms: Sendable, Equatable {
    public let bins: Int
    public let range: ClosedRange<Float>
    /// `counts[c][k]`: number of pixels of channel `c` in bin `k`.
    public var counts: [[Int]]

    /// Counts divided by the pixel count (each channel sums to 1).
    public func normalized() -> [[Float]] {
        counts.map { ch in
            let total = Float(ch.reduce(0, +))
            return ch.map { total > 0 ? Float($0) / total : 0 }
        }
    }
}

/// A joint RGB histogram with `bins` per axis; `counts[(r * bins + g) * bins + b]`.
public struct RGBHistogram: Sendable, Equatable {
    public let bins: Int
    public let range: ClosedRange<Float>
    public var counts: [Int]

    /// Count of the cell `(r, g, b)`.
    public subscript(r: Int, g: Int, b: Int) -> Int { counts[(r * bins + g) * bins + b] }

    /// Counts as Float; if `normalized`, divided by the total so that they sum to 1.
    public func values(normalized: Bool = true) -> [Float] {
        let total = Float(counts.reduce(0, +))
        if !normalized || total == 0 { return counts.map { Float($0) } }
        return counts.map { Float($0) / total }
    }
}

enum Binning {
    /// Bin index of `v` (see the rules on ``ChannelHistograms``), branch-free.
    @inline(__always) static func bin(_ v: Float, lo: Float, scale: Float, last: Float) -> Int {
        var t = (v - lo) * scale
        t = t > 0 ? t : 0           // also maps NaN to 0
        t = t < last ? t : last
        return Int(t)
    }

    /// Runs `body(chunk, range)` over about `4 * threads` row chunks; returns the chunk count.
    static func chunked(rows: Int, _ body: (Int, Range<Int>) -> Void) -> Int {
        let chunks = max(1, min(rows, Parallel.threadCount * 4))
        Parallel.forRanges(chunks, minChunk: 1) { r in
            for k in r { body(k, (rows * k / chunks)..<(rows * (k + 1) / chunks)) }
        }
        return chunks
    }
}

extension Image {
    /// Per-channel histograms of all channels (alpha included) over `range` with `bins` bins.
    public func histograms(bins: Int = 256, range: ClosedRange<Float> = 0...1) -> ChannelHistograms {
        precondition(bins > 0 && range.upperBound > range.lowerBound, "need bins > 0 and a non-empty range")
        let nc = channels, n = planeCount, w = width
        let chunks = max(1, min(height, Parallel.threadCount * 4))
        var local = [Int](repeating: 0, count: chunks * nc * bins)
        let lo = range.lowerBound, scale = Float(bins) / (range.upperBound - range.lowerBound), last = Float(bins - 1)
        pixels.withUnsafeBufferPointer { src in
            local.withUnsafeMutableBufferPointer { lb in
                let s = src.baseAddress!, l = lb.baseAddress!
                _ = Binning.chunked(rows: height) { k, rows in
                    for c in 0..<nc {
                        let h = l + (k * nc + c) * bins, p = s + c * n
                        for i in (rows.lowerBound * w)..<(rows.upperBound * w) {
                            h[Binning.bin(p[i], lo: lo, scale: scale, last: last)] += 1
                        }
                    }
                }
            }
        }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: bins), count: nc)
        for k in 0..<chunks { for c in 0..<nc { for b in 0..<bins { counts[c][b] += local[(k * nc + c) * bins + b] } } }
        return ChannelHistograms(bins: bins, range: range, counts: counts)
    }

    /// Joint RGB histogram with `bins` per axis (alpha ignored), same binning rules.
    public func rgbHistogram(bins: Int = 16, range: ClosedRange<Float> = 0...1) -> RGBHistogram {
        precondition(bins > 0 && range.upperBound > range.lowerBound, "need bins > 0 and a non-empty range")
        let n = planeCount, w = width, cells = bins * bins * bins
        let chunks = max(1, min(height, Parallel.threadCount * 4))
        var local = [Int](repeating: 0, count: chunks * cells)
        let lo = range.lowerBound, scale = Float(bins) / (range.upperBound - range.lowerBound), last = Float(bins - 1)
        pixels.withUnsafeBufferPointer { src in
            local.withUnsafeMutableBufferPointer { lb in
                let r = src.baseAddress!, g = r + n, b = r + 2 * n, l = lb.baseAddress!
                _ = Binning.chunked(rows: height) { k, rows in
                    let h = l + k * cells
                    for i in (rows.lowerBound * w)..<(rows.upperBound * w) {
                        let ir = Binning.bin(r[i], lo: lo, scale: scale, last: last)
                        let ig = Binning.bin(g[i], lo: lo, scale: scale, last: last)
                        let ib = Binning.bin(b[i], lo: lo, scale: scale, last: last)
                        h[(ir * bins + ig) * bins + ib] += 1
                    }
                }
            }
        }
        var counts = [Int](repeating: 0, count: cells)
        for k in 0..<chunks { for i in 0..<cells { counts[i] += local[k * cells + i] } }
        return RGBHistogram(bins: bins, range: range, counts: counts)
    }
}
