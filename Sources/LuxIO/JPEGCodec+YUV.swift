import CTurboJPEG
import LuxImage

/// JPEG encoding straight from planar Float: Lux converts to JFIF YCbCr planes itself (parallel over
/// rows, no interleaved RGB copy) and hands them to `tjCompressFromYUVPlanes`, which then skips
/// libjpeg's own colour conversion and downsampling.
extension JPEGCodec {
    /// Y, Cb, Cr byte planes laid out as TurboJPEG expects (plane widths padded to the
    /// subsampling factor, padding replicated from the last column / row).
    ///
    /// With `R, G, B = clamp(v, 0, 1) * 255` (full-range BT.601, as JFIF):
    /// `Y = 0.299 R + 0.587 G + 0.114 B`, `Cb = 128 - 0.168736 R - 0.331264 G + 0.5 B`,
    /// `Cr = 128 + 0.5 R - 0.418688 G - 0.081312 B`, each rounded and clamped to 0...255.
    /// For 4:2:0 the chroma of each 2x2 block is computed from the block's mean RGB.
    struct YUVPlanes {
        let y: UnsafeMutablePointer<UInt8>, cb: UnsafeMutablePointer<UInt8>, cr: UnsafeMutablePointer<UInt8>
        let yWidth: Int, yHeight: Int, cWidth: Int, cHeight: Int

        init(_ image: Image, subsampling: Bool) {
            let w = image.width, h = image.height, n = w * h
            let f = subsampling ? 2 : 1
            cWidth = (w + f - 1) / f; cHeight = (h + f - 1) / f
            yWidth = cWidth * f; yHeight = cHeight * f
            y = .allocate(capacity: yWidth * yHeight)
            cb = .allocate(capacity: cWidth * cHeight)
            cr = .allocate(capacity: cWidth * cHeight)
            nonisolated(unsafe) let yp = y, cbp = cb, crp = cr
            let yw = yWidth, cw = cWidth
            image.pixels.withUnsafeBufferPointer { src in
                nonisolated(unsafe) let s = src.baseAddress!
                if !subsampling {
                    Parallel.forRanges(h, minChunk: 32) { rows in
                        for i in (rows.lowerBound * w)..<(rows.upperBound * w) {
                            let r = unit255(s[i]), g = unit255(s[n + i]), b = unit255(s[2 * n + i])
                            yp[i] = byte(0.299 * r + 0.587 * g + 0.114 * b)
                            cbp[i] = byte(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)
                            crp[i] = byte(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)
                        }
                    }
                    return
                }
                let cHeight = self.cHeight, half = w / 2
                Parallel.forRanges(cHeight, minChunk: 16) { crow in
                    for cy in crow {
                        let ra = 2 * cy, rb = min(2 * cy + 1, h - 1)
                        // Luma: two contiguous rows (vectorises), then the padding column if w is odd.
                        for (dstRow, srcRow) in [(2 * cy, ra), (2 * cy + 1, rb)] {
                            let yr = yp + dstRow * yw, sr = s + srcRow * w, sg = sr + n, sb = sg + n
                            for x in 0..<w {
                                yr[x] = byte(0.299 * unit255(sr[x]) + 0.587 * unit255(sg[x]) + 0.114 * unit255(sb[x]))
                            }
                            if yw > w { yr[w] = yr[w - 1] }
                        }
                        // Chroma from the mean of each 2x2 block.
                        let a = s + ra * w, b = s + rb * w
                        let cbRow = cbp + cy * cw, crRow = crp + cy * cw
                        for cx in 0..<half {
                            let x = 2 * cx
                            let r = 0.25 * (unit255(a[x]) + unit255(a[x + 1]) + unit255(b[x]) + unit255(b[x + 1]))
                            let g = 0.25 * (unit255(a[n + x]) + unit255(a[n + x + 1]) + unit255(b[n + x]) + unit255(b[n + x + 1]))
                            let bl = 0.25 * (unit255(a[2 * n + x]) + unit255(a[2 * n + x + 1])
                                + unit255(b[2 * n + x]) + unit255(b[2 * n + x + 1]))
                            cbRow[cx] = byte(128 - 0.168736 * r - 0.331264 * g + 0.5 * bl)
                            crRow[cx] = byte(128 + 0.5 * r - 0.418688 * g - 0.081312 * bl)
                        }
                        if cw > half { // odd width: the last block has one column, replicated
                            let x = w - 1
                            let r = 0.5 * (unit255(a[x]) + unit255(b[x])), g = 0.5 * (unit255(a[n + x]) + unit255(b[n + x]))
                            let bl = 0.5 * (unit255(a[2 * n + x]) + unit255(b[2 * n + x]))
                            cbRow[half] = byte(128 - 0.168736 * r - 0.331264 * g + 0.5 * bl)
                            crRow[half] = byte(128 + 0.5 * r - 0.418688 * g - 0.081312 * bl)
                        }
                    }
                }
            }
        }

        func deallocate() { y.deallocate(); cb.deallocate(); cr.deallocate() }
    }
}

/// `clamp(v, 0, 1) * 255`; NaN becomes 0.
@inline(__always) private func unit255(_ v: Float) -> Float { (v > 0 ? (v < 1 ? v : 1) : 0) * 255 }

/// Rounds and clamps to a byte.
@inline(__always) private func byte(_ v: Float) -> UInt8 {
    let r = v + 0.5
    return UInt8(r > 0 ? (r < 255 ? r : 255) : 0)
}
