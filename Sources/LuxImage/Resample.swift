#if canImport(Glibc)
import Glibc
#endif

/// Reconstruction filters for ``Image/resized(width:height:filter:)``.
///
/// Coordinates use the half-pixel-centre convention (OpenCV, PIL): output pixel `i` of an axis with
/// scale `s = srcSize / dstSize` is centred on source coordinate `(i + 0.5) * s`, where source pixel
/// `j` covers `[j, j + 1)`. Borders replicate the edge pixel. Weights of every output are normalised
/// to sum to 1, so a constant image stays constant.
public enum ResampleFilter: String, Sendable, CaseIterable {
    /// Area average: output = mean of the source area `[(i)*s, (i+1)*s)` weighted by overlap.
    /// Exact for integer factors, correct for fractional ones. Upscaling with box is nearest-neighbour
    /// except for output pixels that straddle a source pixel boundary (those get the area blend).
    case box
    /// Linear interpolation between the two nearest source pixel centres (`w = 1 - |d|`), like
    /// OpenCV `INTER_LINEAR`; not antialiased when downscaling (use `.box` or `.lanczos3` for that).
    case bilinear
    /// Lanczos, a = 3: `w(d) = sinc(d) * sinc(d / 3)` for `|d| < 3`. When downscaling the kernel is
    /// stretched by the factor `s` (`w(d / s)`, support `3 s`), which antialiases.
    case lanczos3
}

/// Per-axis weight table: output `i` reads source `start[i] ..< start[i] + taps` with
/// `weights[i * taps ..< (i + 1) * taps]` (zero-padded, sum 1).
struct ResampleWeights {
    let taps: Int
    var start: [Int]
    var weights: [Float]

    init(src: Int, dst: Int, filter: ResampleFilter) {
        let scale = Double(src) / Double(dst)
        // kernel stretch: box always spans the output pixel's footprint; Lanczos widens only when
        // downscaling; bilinear never.
        let fs: Double
        switch filter {
        case .box: fs = scale
        case .bilinear: fs = 1
        case .lanczos3: fs = max(scale, 1)
        }
        let support: Double
        switch filter {
        case .box: support = 0.5 * fs
        case .bilinear: support = 1.0
        case .lanczos3: support = 3.0 * fs
        }
        // Raw weights per output, then fold out-of-range taps onto the edges (replicate border).
        var rows: [(Int, [Double])] = []
        rows.reserveCapacity(dst)
        var maxTaps = 1
        for i in 0..<dst {
            let centre = (Double(i) + 0.5) * scale          // continuous coordinate
            let lo = Int((centre - support).rounded(.down)) - 1
            let hi = Int((centre + support).rounded(.up)) + 1
            var acc = [Int: Double]()
            for j in lo...hi {
                let w: Double
                switch filter {
                case .box:
                    // overlap of [centre - fs/2, centre + fs/2] with [j, j+1]
                    let a = Swift.max(centre - 0.5 * fs, Double(j)), b = Swift.min(centre + 0.5 * fs, Double(j + 1))
                    w = Swift.max(0, b - a)
                case .bilinear:
                    let d = abs(Double(j) + 0.5 - centre)
                    w = Swift.max(0, 1 - d)
                case .lanczos3:
                    let d = (Double(j) + 0.5 - centre) / fs
                    w = ResampleWeights.lanczos3(d)
                }
                if w == 0 { continue }
                let jj = Swift.min(Swift.max(j, 0), src - 1)
                acc[jj, default: 0] += w
            }
            let first = acc.keys.min() ?? Swift.min(Swift.max(Int(centre), 0), src - 1)
            let last = acc.keys.max() ?? first
            var ws = [Double](repeating: 0, count: last - first + 1)
            for (k, v) in acc { ws[k - first] = v }
            let sum = ws.reduce(0, +)
            if sum != 0 { for k in ws.indices { ws[k] /= sum } } else { ws[0] = 1 }
            rows.append((first, ws))
            maxTaps = Swift.max(maxTaps, ws.count)
        }
        taps = Swift.min(maxTaps, src)
        start = [Int](repeating: 0, count: dst)
        weights = [Float](repeating: 0, count: dst * taps)
        for (i, (first, ws)) in rows.enumerated() {
            // Shift the window left if it would run past the end; pad with zeros.
            let s = Swift.min(first, src - taps)
            start[i] = s
            for (k, w) in ws.enumerated() { weights[i * taps + (first - s) + k] = Float(w) }
        }
    }

    /// `sinc(x) sinc(x/3)` for `|x| < 3`, else 0, with `sinc(x) = sin(pi x) / (pi x)`.
    static func lanczos3(_ x: Double) -> Double {
        let ax = abs(x)
        if ax >= 3 { return 0 }
        if ax < 1e-8 { return 1 }
        let px = Double.pi * ax
        return 3 * sin(px) * sin(px / 3) / (px * px)
    }
}

extension Image {
    /// A resampled copy of size `width` x `height` (all planes, alpha included, straight alpha).
    ///
    /// Separable: one vertical and one horizontal pass with precomputed weight tables; the pass order
    /// is chosen to minimise multiply-adds. Both passes run in parallel over rows.
    public func resized(width dw: Int, height dh: Int, filter: ResampleFilter = .lanczos3) -> Image {
        precondition(dw > 0 && dh > 0, "target size must be positive")
        if dw == width && dh == height { return self }
        let wx = ResampleWeights(src: width, dst: dw, filter: filter)
        let wy = ResampleWeights(src: height, dst: dh, filter: filter)
        let vFirst = dh * width * wy.taps + dh * dw * wx.taps
        let hFirst = height * dw * wx.taps + dh * dw * wy.taps
        var out = Image.uninitialized(width: dw, height: dh, channels: channels, colorSpace: colorSpace)
        let sw = width, sh = height, nc = channels
        pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                for c in 0..<nc {
                    let s = src.baseAddress! + c * sw * sh
                    let d = dst.baseAddress! + c * dw * dh
                    if vFirst <= hFirst {
                        let tmp = UnsafeMutablePointer<Float>.allocate(capacity: sw * dh)
                        defer { tmp.deallocate() }
                        Self.verticalPass(s, width: sw, into: tmp, rows: dh, weights: wy)
                        Self.horizontalPass(tmp, width: sw, into: d, width: dw, rows: dh, weights: wx)
                    } else {
                        let tmp = UnsafeMutablePointer<Float>.allocate(capacity: dw * sh)
                        defer { tmp.deallocate() }
                        Self.horizontalPass(s, width: sw, into: tmp, width: dw, rows: sh, weights: wx)
                        Self.verticalPass(tmp, width: dw, into: d, rows: dh, weights: wy)
                    }
                }
            }
        }
        return out
    }

    /// A copy whose longer side is `maxSide` (aspect preserved, shorter side at least 1), made with
    /// the area (box) filter: the fast path for 64 px / 512 px previews of large photos. Returns
    /// `self` if the image already fits.
    public func thumbnail(maxSide: Int) -> Image {
        precondition(maxSide > 0, "maxSide must be positive")
        let long = Swift.max(width, height)
        if long <= maxSide { return self }
        let f = Double(maxSide) / Double(long)
        let w = width >= height ? maxSide : Swift.max(1, Int((Double(width) * f).rounded()))
        let h = height > width ? maxSide : Swift.max(1, Int((Double(height) * f).rounded()))
        return resized(width: w, height: h, filter: .box)
    }

    /// dst row y = sum_t w[y][t] * src row (start[y] + t); vectorises over x.
    static func verticalPass(_ src: UnsafePointer<Float>, width w: Int, into dst: UnsafeMutablePointer<Float>,
                             rows: Int, weights: ResampleWeights) {
        let taps = weights.taps
        weights.start.withUnsafeBufferPointer { st in
            weights.weights.withUnsafeBufferPointer { wt in
                let stp = st.baseAddress!, wtp = wt.baseAddress!
                Parallel.forRanges(rows, minChunk: 8) { r in
                    for y in r {
                        let o = dst + y * w
                        let s0 = src + stp[y] * w
                        let w0 = wtp[y * taps]
                        for x in 0..<w { o[x] = w0 * s0[x] }
                        if taps > 1 {
                            for t in 1..<taps {
                                let wv = wtp[y * taps + t]
                                if wv == 0 { continue }
                                let s = src + (stp[y] + t) * w
                                for x in 0..<w { o[x] += wv * s[x] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// dst[y][x] = sum_t w[x][t] * src[y][start[x] + t], with four partial sums per output.
    static func horizontalPass(_ src: UnsafePointer<Float>, width sw: Int, into dst: UnsafeMutablePointer<Float>,
                               width dw: Int, rows: Int, weights: ResampleWeights) {
        let taps = weights.taps
        weights.start.withUnsafeBufferPointer { st in
            weights.weights.withUnsafeBufferPointer { wt in
                let stp = st.baseAddress!, wtp = wt.baseAddress!
                Parallel.forRanges(rows, minChunk: 8) { r in
                    for y in r {
                        let srow = src + y * sw
                        let orow = dst + y * dw
                        for x in 0..<dw {
                            let s = srow + stp[x]
                            let wv = wtp + x * taps
                            var a0: Float = 0, a1: Float = 0, a2: Float = 0, a3: Float = 0
                            var t = 0
                            while t + 4 <= taps {
                                a0 += wv[t] * s[t]; a1 += wv[t + 1] * s[t + 1]
                                a2 += wv[t + 2] * s[t + 2]; a3 += wv[t + 3] * s[t + 3]
                                t += 4
                            }
                            while t < taps { a0 += wv[t] * s[t]; t += 1 }
                            orow[x] = (a0 + a1) + (a2 + a3)
                        }
                    }
                }
            }
        }
    }
}
