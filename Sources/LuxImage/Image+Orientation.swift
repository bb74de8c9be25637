extension Image {
    /// The image turned upright according to an EXIF orientation tag (TIFF tag 0x0112).
    ///
    /// With `W x H` the stored size, the displayed pixel `(x', y')` is read from stored `(sx, sy)`:
    /// - 1: `(x', y')` (identity)            - 2: `(W-1-x', y')` (mirror left-right)
    /// - 3: `(W-1-x', H-1-y')` (rotate 180)  - 4: `(x', H-1-y')` (mirror top-bottom)
    /// - 5: `(y', x')` (transpose)           - 6: `(y', H-1-x')` (rotate 90 clockwise)
    /// - 7: `(W-1-y', H-1-x')` (transverse)  - 8: `(W-1-y', x')` (rotate 90 counter-clockwise)
    /// Orientations 5...8 swap width and height. Values outside 1...8 are treated as 1.
    public func oriented(_ exifOrientation: Int) -> Image {
        guard (2...8).contains(exifOrientation) else { return self }
        let w = width, h = height
        // Source index of output (x', y') = base + x' * colStep + y' * rowStep.
        let (base, colStep, rowStep): (Int, Int, Int)
        switch exifOrientation {
        case 2: (base, colStep, rowStep) = (w - 1, -1, w)
        case 3: (base, colStep, rowStep) = ((h - 1) * w + w - 1, -1, -w)
        case 4: (base, colStep, rowStep) = ((h - 1) * w, 1, -w)
        case 5: (base, colStep, rowStep) = (0, w, 1)
        case 6: (base, colStep, rowStep) = ((h - 1) * w, -w, 1)
        case 7: (base, colStep, rowStep) = ((h - 1) * w + w - 1, -w, -1)
        default: (base, colStep, rowStep) = (w - 1, w, -1) // 8
        }
        let swaps = exifOrientation >= 5
        let ow = swaps ? h : w, oh = swaps ? w : h
        let n = w * h, ch = channels
        let out = [Float](unsafeUninitializedCapacity: n * ch) { dst, count in
            pixels.withUnsafeBufferPointer { src in
                nonisolated(unsafe) let s = src.baseAddress!, d = dst.baseAddress!
                Parallel.forRanges(oh, minChunk: 32) { rows in
                    for c in 0..<ch {
                        let sp = s + c * n, dp = d + c * n
                        for y in rows {
                            var si = base + y * rowStep
                            let drow = dp + y * ow
                            for x in 0..<ow {
                                drow[x] = sp[si]
                                si += colStep
                            }
                        }
                    }
                }
            }
            count = n * ch
        }
        return Image(width: ow, height: oh, channels: ch, colorSpace: colorSpace, pixels: out)
    }
}
