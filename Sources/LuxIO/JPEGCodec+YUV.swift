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
                let cHeight = self.cHeight
                Parallel.forRanges(cHeight, minChunk: 16) { crow in
                    for cy in crow {
                        let ra = 2 * cy, rb = min(2 * cy + 1, h - 1)
                        let ya = yp + 2 * cy * yw, yb = ya + yw
                        for cx in 0..<cw {
                            let x0 = 2 * cx, x1 = min(2 * cx + 1, w - 1)
                            let i00 = ra * w + x0, i01 = ra * w + x1, i10 = rb * w + x0, i11 = rb * w + x1
                            let r00 = unit255(s[i00]), r01 = unit255(s[i01]), r10 = unit255(s[i10]), r11 = unit255(s[i11])
                            let g00 = unit255(s[n + i00]), g01 = unit255(s[n + i01]), g10 = unit255(s[n + i10]), g11 = unit255(s[n + i11])
                            let b00 = unit255(s[2 * n + i00]), b01 = unit255(s[2 * n + i01])
                            let b10 = unit255(s[2 * n + i10]), b11 = unit255(s[2 * n + i11])
                            ya[x0] = byte(0.299 * r00 + 0.587 * g00 + 0.114 * b00)
                            ya[x0 + 1] = byte(0.299 * r01 + 0.587 * g01 + 0.114 * b01)
                            yb[x0] = byte(0.299 * r10 + 0.587 * g10 + 0.114 * b10)
                            yb[x0 + 1] = byte(0.299 * r11 + 0.587 * g11 + 0.114 * b11)
                            let r = 0.25 * (r00 + r01 + r10 + r11), g = 0.25 * (g00 + g01 + g10 + g11)
                            let b = 0.25 * (b00 + b01 + b10 + b11)
                            cbp[cy * cw + cx] = byte(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)
                            crp[cy * cw + cx] = byte(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)
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
