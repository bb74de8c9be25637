/// Gaussian and Laplacian pyramids (Burt & Adelson 1983).
///
/// Reduce: blur with the 5-tap binomial kernel `[1 4 6 4 1] / 16` on both axes, keep even pixels.
/// A side of `n` becomes `(n + 1) / 2`, so odd sizes keep their last pixel. Borders reflect without
/// repeating the edge (`-1 -> 1`, `n -> n - 2`).
///
/// Expand (the upsample used by both build and collapse): coarse sample `j` sits at fine position
/// `2j`; fine even pixels get `(s[j-1] + 6 s[j] + s[j+1]) / 8`, fine odd pixels `(s[j] + s[j+1]) / 2`
/// (zero insertion followed by the same kernel times 2 per axis), coarse indices reflected as above.
public enum Pyramid {
    /// Reflect-101 index into `0..<n`.
    @inline(__always) static func reflect(_ i: Int, _ n: Int) -> Int {
        if n == 1 { return 0 }
        if i >= 0 && i < n { return i }
        let p = 2 * n - 2                   // reflect-101 is periodic with period 2n - 2
        var m = i % p
        if m < 0 { m += p }
        return m < n ? m : p - m
    }

    /// One reduce step: blurred and 2x decimated image, size `((w+1)/2, (h+1)/2)`.
    public static func reduce(_ img: Image) -> Image {
        let w = img.width, h = img.height
        let w2 = (w + 1) / 2, h2 = (h + 1) / 2
        var out = Image.uninitialized(width: w2, height: h2, channels: img.channels, colorSpace: img.colorSpace)
        let tmp = UnsafeMutablePointer<Float>.allocate(capacity: w * h2)
        defer { tmp.deallocate() }
        img.pixels.withUnsafeBufferPointer { sb in
            out.pixels.withUnsafeMutableBufferPointer { db in
                for c in 0..<img.channels {
                    let s = sb.baseAddress! + c * w * h, d = db.baseAddress! + c * w2 * h2
                    // vertical: tmp row y = rows 2y-2 ... 2y+2
                    Parallel.forRanges(h2, minChunk: 8) { r in
                        for y in r {
                            let r0 = s + reflect(2 * y - 2, h) * w, r1 = s + reflect(2 * y - 1, h) * w
                            let r2 = s + reflect(2 * y, h) * w, r3 = s + reflect(2 * y + 1, h) * w
                            let r4 = s + reflect(2 * y + 2, h) * w
                            let o = tmp + y * w
                            for x in 0..<w {
                                o[x] = (r0[x] + r4[x] + 4 * (r1[x] + r3[x]) + 6 * r2[x]) * (1.0 / 16.0)
                            }
                        }
                    }
                    // horizontal
                    Parallel.forRanges(h2, minChunk: 8) { r in
                        for y in r {
                            let t = tmp + y * w, o = d + y * w2
                            // interior (all five taps inside): no reflection, no branches
                            let lo = Swift.min(1, w2), hi = Swift.max(lo, Swift.min(w2, (w - 3) / 2 + 1))
                            for x in lo..<hi {
                                let q = t + 2 * x
                                o[x] = (q[-2] + q[2] + 4 * (q[-1] + q[1]) + 6 * q[0]) * (1.0 / 16.0)
                            }
                            let edge = { (x: Int) in
                                let a = t[reflect(2 * x - 2, w)], b = t[reflect(2 * x - 1, w)], m = t[2 * x]
                                let e = t[reflect(2 * x + 1, w)], f = t[reflect(2 * x + 2, w)]
                                o[x] = (a + f + 4 * (b + e) + 6 * m) * (1.0 / 16.0)
                            }
                            for x in 0..<lo { edge(x) }
                            for x in hi..<w2 { edge(x) }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Expands `coarse` to `width` x `height` (which must reduce to the coarse size).
    public static func expand(_ coarse: Image, width w: Int, height h: Int) -> Image {
        let cw = coarse.width, ch = coarse.height
        precondition((w + 1) / 2 == cw && (h + 1) / 2 == ch, "expand target does not match coarse size")
        var out = Image.uninitialized(width: w, height: h, channels: coarse.channels, colorSpace: coarse.colorSpace)
        let tmp = UnsafeMutablePointer<Float>.allocate(capacity: cw * h)
        defer { tmp.deallocate() }
        coarse.pixels.withUnsafeBufferPointer { sb in
            out.pixels.withUnsafeMutableBufferPointer { db in
                for c in 0..<coarse.channels {
                    let s = sb.baseAddress! + c * cw * ch, d = db.baseAddress! + c * w * h
                    // vertical: fine row y from coarse rows
                    Parallel.forRanges(h, minChunk: 16) { r in
                        for y in r {
                            let o = tmp + y * cw
                            let j = y >> 1
                            if y & 1 == 0 {
                                let a = s + reflect(j - 1, ch) * cw, m = s + j * cw, b = s + reflect(j + 1, ch) * cw
                                for x in 0..<cw { o[x] = (a[x] + b[x] + 6 * m[x]) * 0.125 }
                            } else {
                                let m = s + j * cw, b = s + reflect(j + 1, ch) * cw
                                for x in 0..<cw { o[x] = (m[x] + b[x]) * 0.5 }
                            }
                        }
                    }
                    // horizontal
                    Parallel.forRanges(h, minChunk: 16) { r in
                        for y in r {
                            let t = tmp + y * cw, o = d + y * w
                            // interior coarse samples 1 ..< cw - 1 fill fine pixels 2 ..< 2 cw - 2
                            if cw > 2 {
                                for j in 1..<(cw - 1) {
                                    o[2 * j] = (t[j - 1] + t[j + 1] + 6 * t[j]) * 0.125
                                    o[2 * j + 1] = (t[j] + t[j + 1]) * 0.5
                                }
                            }
                            let edge = { (x: Int) in
                                let j = x >> 1
                                if x & 1 == 0 {
                                    o[x] = (t[reflect(j - 1, cw)] + t[reflect(j + 1, cw)] + 6 * t[j]) * 0.125
                                } else {
                                    o[x] = (t[j] + t[reflect(j + 1, cw)]) * 0.5
                                }
                            }
                            if cw > 2 {
                                for x in 0..<2 { edge(x) }
                                for x in (2 * cw - 2)..<w { edge(x) }
                            } else {
                                for x in 0..<w { edge(x) }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Gaussian pyramid: `[image, reduce(image), ...]`, `levels` images at most (stops at 1x1).
    public static func gaussian(_ image: Image, levels: Int) -> [Image] {
        precondition(levels >= 1, "levels must be at least 1")
        var out = [image]
        while out.count < levels {
            let last = out[out.count - 1]
            if last.width == 1 && last.height == 1 { break }
            out.append(reduce(last))
        }
        return out
    }
}

/// Laplacian pyramid: `levels[i] = G[i] - expand(G[i+1])` for all but the last level, which is the
/// coarsest Gaussian level (the low-pass residual). ``collapse()`` inverts the build exactly up to
/// float rounding (it uses the same ``Pyramid/expand(_:width:height:)``).
public struct LaplacianPyramid: Sendable {
    /// Band-pass levels, finest first, then the low-pass residual.
    public var levels: [Image]

    /// Builds at most `levels` levels (fewer if the image reaches 1x1 first).
    public init(_ image: Image, levels: Int) {
        let g = Pyramid.gaussian(image, levels: levels)
        var out: [Image] = []
        out.reserveCapacity(g.count)
        for i in 0..<(g.count - 1) {
            var band = g[i]
            let up = Pyramid.expand(g[i + 1], width: band.width, height: band.height)
            band.pixels.withUnsafeMutableBufferPointer { b in
                up.pixels.withUnsafeBufferPointer { u in
                    for k in 0..<b.count { b[k] -= u[k] }
                }
            }
            out.append(band)
        }
        out.append(g[g.count - 1])
        self.levels = out
    }

    /// Wraps existing levels (e.g. after editing the bands).
    public init(levels: [Image]) {
        precondition(!levels.isEmpty, "a pyramid needs at least one level")
        self.levels = levels
    }

    /// Reconstructs the image: `G[n-1] = levels[n-1]`, `G[i] = levels[i] + expand(G[i+1])`.
    public func collapse() -> Image {
        var cur = levels[levels.count - 1]
        for i in stride(from: levels.count - 2, through: 0, by: -1) {
            var band = levels[i]
            let up = Pyramid.expand(cur, width: band.width, height: band.height)
            band.pixels.withUnsafeMutableBufferPointer { b in
                up.pixels.withUnsafeBufferPointer { u in
                    for k in 0..<b.count { b[k] += u[k] }
                }
            }
            cur = band
        }
        return cur
    }
}
