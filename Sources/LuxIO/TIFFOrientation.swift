import LuxImage

/// EXIF / TIFF orientation (tag 274) applied to pixels so the result is upright.
///
/// For output pixel `(x, y)` of the upright image (width `W'`, height `H'`) the source pixel in
/// the stored image (`W` x `H`) is: 1 `(x, y)`; 2 `(W-1-x, y)`; 3 `(W-1-x, H-1-y)`; 4 `(x, H-1-y)`;
/// 5 `(y, x)`; 6 `(y, H-1-x)`; 7 `(W-1-y, H-1-x)`; 8 `(W-1-y, x)`. Cases 5...8 swap width and height.
enum TIFFOrientation {
    static func apply(_ o: Int, to src: Image) -> Image {
        guard (2...8).contains(o) else { return src }
        let W = src.width, H = src.height
        let swap = o >= 5
        let w = swap ? H : W, h = swap ? W : H
        var dst = Image(width: w, height: h, channels: src.channels, colorSpace: src.colorSpace)
        let n = W * H
        src.pixels.withUnsafeBufferPointer { s in
            dst.pixels.withUnsafeMutableBufferPointer { d in
                for y in 0..<h {
                    for x in 0..<w {
                        let (sx, sy): (Int, Int)
                        switch o {
                        case 2: (sx, sy) = (W - 1 - x, y)
                        case 3: (sx, sy) = (W - 1 - x, H - 1 - y)
                        case 4: (sx, sy) = (x, H - 1 - y)
                        case 5: (sx, sy) = (y, x)
                        case 6: (sx, sy) = (y, H - 1 - x)
                        case 7: (sx, sy) = (W - 1 - y, H - 1 - x)
                        default: (sx, sy) = (W - 1 - y, x)
                        }
                        for c in 0..<src.channels { d[c * n + y * w + x] = s[c * n + sy * W + sx] }
                    }
                }
            }
        }
        return dst
    }
}
