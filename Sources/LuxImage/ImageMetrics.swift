#if canImport(Glibc)
import Glibc
#endif

/// Full-reference image quality metrics, used by `lux eval`.
///
/// All compare the RGB planes (alpha ignored) of two images of the same size.
public enum ImageMetrics {
    static func checkSizes(_ a: Image, _ b: Image) throws(ImageOpError) {
        guard a.width == b.width, a.height == b.height else {
            throw .sizeMismatch("\(a.width)x\(a.height) vs \(b.width)x\(b.height)")
        }
    }

    /// Mean squared error over the RGB planes.
    public static func mse(_ a: Image, _ b: Image) throws(ImageOpError) -> Double {
        try checkSizes(a, b)
        let n = a.planeCount * 3
        var sum = 0.0
        a.pixels.withUnsafeBufferPointer { pa in
            b.pixels.withUnsafeBufferPointer { pb in
                var i = 0
                while i < n {
                    let end = Swift.min(n, i + 4096)
                    var s: Float = 0
                    for k in i..<end { let d = pa[k] - pb[k]; s += d * d }
                    sum += Double(s)
                    i = end
                }
            }
        }
        return sum / Double(n)
    }

    /// PSNR in dB for data with peak value `peak` (1 for [0, 1] data):
    /// `10 log10(peak^2 / MSE)`; `+infinity` for identical images.
    public static func psnr(_ a: Image, _ b: Image, peak: Double = 1) throws(ImageOpError) -> Double {
        let m = try mse(a, b)
        if m == 0 { return .infinity }
        return 10 * log10(peak * peak / m)
    }

    /// SSIM (Wang, Bovik, Sheikh & Simoncelli 2004) on Rec. 709 luminance of both images:
    /// Gaussian 11x11 window, sigma 1.5 (normalised), `C1 = (0.01 L)^2`, `C2 = (0.03 L)^2` with
    /// dynamic range `L` (1 for [0, 1] data);
    /// `SSIM = (2 mu_x mu_y + C1)(2 sigma_xy + C2) / ((mu_x^2 + mu_y^2 + C1)(sigma_x^2 + sigma_y^2 + C2))`
    /// averaged over the window positions fully inside the image (`'valid'`, as in the reference
    /// `ssim_index.m`). Images must be at least 11x11. In [-1, 1]; 1 only for identical luminance.
    public static func ssim(_ a: Image, _ b: Image, dynamicRange L: Double = 1) throws(ImageOpError) -> Double {
        try checkSizes(a, b)
        let w = a.width, h = a.height, r = 5
        guard w >= 2 * r + 1, h >= 2 * r + 1 else {
            throw .invalidArgument("SSIM needs images of at least 11x11, got \(w)x\(h)")
        }
        var g = [Float](repeating: 0, count: 2 * r + 1)
        for i in 0..<g.count { let d = Float(i - r); g[i] = expf(-d * d / (2 * 1.5 * 1.5)) }
        let gs = g.reduce(0, +)
        for i in g.indices { g[i] /= gs }
        let x = a.luminance(), y = b.luminance()
        let ow = w - 2 * r, oh = h - 2 * r, t = 2 * r + 1
        let c1 = Float((0.01 * L) * (0.01 * L)), c2 = Float((0.03 * L) * (0.03 * L))
        let chunks = Swift.max(1, Swift.min(oh, Parallel.threadCount * 4))
        var partial = [Double](repeating: 0, count: chunks)
        // Fused per output row: vertical 11-tap sums of x, y, x^2, y^2, xy into five row buffers,
        // then the horizontal 11-tap pass and the SSIM map, so no full-size intermediates exist.
        x.withUnsafeBufferPointer { xb in y.withUnsafeBufferPointer { yb in
            g.withUnsafeBufferPointer { gb in partial.withUnsafeMutableBufferPointer { pb in
                let xp = xb.baseAddress!, yp = yb.baseAddress!, kp = gb.baseAddress!, pp = pb.baseAddress!
                _ = Binning.chunked(rows: oh) { k, rows in
                    let buf = UnsafeMutablePointer<Float>.allocate(capacity: 10 * w)
                    defer { buf.deallocate() }
                    let sx = buf, sy = buf + w, sxx = buf + 2 * w, syy = buf + 3 * w, sxy = buf + 4 * w
                    var total = 0.0
                    for row in rows {
                        for i in 0..<(5 * w) { buf[i] = 0 }
                        for j in 0..<t {
                            let kv = kp[j], xr = xp + (row + j) * w, yr = yp + (row + j) * w
                            for i in 0..<w {
                                let xv = xr[i], yv = yr[i]
                                sx[i] += kv * xv; sy[i] += kv * yv
                                sxx[i] += kv * xv * xv; syy[i] += kv * yv * yv; sxy[i] += kv * xv * yv
                            }
                        }
                        let hb = buf + 5 * w
                        let hx = hb, hy = hb + w, hxx = hb + 2 * w, hyy = hb + 3 * w, hxy = hb + 4 * w
                        for i in 0..<(5 * w) { hb[i] = 0 }
                        for j in 0..<t {
                            let kv = kp[j]
                            for col in 0..<ow {
                                let q = col + j
                                hx[col] += kv * sx[q]; hy[col] += kv * sy[q]
                                hxx[col] += kv * sxx[q]; hyy[col] += kv * syy[q]; hxy[col] += kv * sxy[q]
                            }
                        }
                        var acc: Float = 0
                        for col in 0..<ow {
                            let ux = hx[col], uy = hy[col]
                            let vx = hxx[col] - ux * ux, vy = hyy[col] - uy * uy, cxy = hxy[col] - ux * uy
                            acc += ((2 * ux * uy + c1) * (2 * cxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2))
                        }
                        total += Double(acc)
                    }
                    pp[k] = total
                }
            } }
        } }
        return partial.reduce(0, +) / Double(ow * oh)
    }

    /// Mean CIEDE2000 colour difference between two images, converted to CIE L*a*b* (D65) with
    /// ``ColorMath``. Values are taken as linear light with sRGB primaries; an image whose
    /// `colorSpace.transfer` is `.sRGB` is decoded with the sRGB curve first. (Other primaries are
    /// not converted: convert to the working space with LuxColor before calling.)
    public static func meanCIEDE2000(_ a: Image, _ b: Image) throws(ImageOpError) -> Double {
        try checkSizes(a, b)
        let n = a.planeCount
        let decodeA = a.colorSpace.transfer == .sRGB, decodeB = b.colorSpace.transfer == .sRGB
        let w = a.width
        let chunks = Swift.max(1, Swift.min(a.height, Parallel.threadCount * 4))
        var partial = [Double](repeating: 0, count: chunks)
        a.pixels.withUnsafeBufferPointer { pa in
            b.pixels.withUnsafeBufferPointer { pb in
                partial.withUnsafeMutableBufferPointer { out in
                    let ap = pa.baseAddress!, bp = pb.baseAddress!, op = out.baseAddress!
                    _ = Binning.chunked(rows: a.height) { k, rows in
                        var sum = 0.0
                        for i in (rows.lowerBound * w)..<(rows.upperBound * w) {
                            var ca = SIMD3(ap[i], ap[n + i], ap[2 * n + i])
                            var cb = SIMD3(bp[i], bp[n + i], bp[2 * n + i])
                            if decodeA { ca = SIMD3(srgbDecode(ca.x), srgbDecode(ca.y), srgbDecode(ca.z)) }
                            if decodeB { cb = SIMD3(srgbDecode(cb.x), srgbDecode(cb.y), srgbDecode(cb.z)) }
                            let la = ColorMath.lab(fromLinearRGB: ca), lb = ColorMath.lab(fromLinearRGB: cb)
                            sum += ciede2000(SIMD3(Double(la.x), Double(la.y), Double(la.z)),
                                             SIMD3(Double(lb.x), Double(lb.y), Double(lb.z)))
                        }
                        op[k] = sum
                    }
                }
            }
        }
        return partial.reduce(0, +) / Double(n)
    }

    /// IEC 61966-2-1 sRGB decode: `v / 12.92` for `v <= 0.04045`, else `((v + 0.055) / 1.055)^2.4`.
    static func srgbDecode(_ v: Float) -> Float {
        v <= 0.04045 ? v / 12.92 : powf((v + 0.055) / 1.055, 2.4)
    }

    /// CIEDE2000 colour difference of two L*a*b* colours with `kL = kC = kH = 1`, following
    /// Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula: implementation notes,
    /// supplementary test data, and mathematical observations" (equations 1-17; hue angles in degrees,
    /// mean hue and hue difference handled as in their notes, including the `C1' C2' = 0` cases).
    public static func ciede2000(_ lab1: SIMD3<Double>, _ lab2: SIMD3<Double>,
                                 kL: Double = 1, kC: Double = 1, kH: Double = 1) -> Double {
        let deg = 180.0 / Double.pi, rad = Double.pi / 180.0
        let (L1, a1, b1) = (lab1.x, lab1.y, lab1.z), (L2, a2, b2) = (lab2.x, lab2.y, lab2.z)
        let C1 = (a1 * a1 + b1 * b1).squareRoot(), C2 = (a2 * a2 + b2 * b2).squareRoot()
        let Cbar = (C1 + C2) / 2
        let Cbar7 = pow(Cbar, 7)
        let G = 0.5 * (1 - (Cbar7 / (Cbar7 + pow(25.0, 7))).squareRoot())
        let a1p = (1 + G) * a1, a2p = (1 + G) * a2
        let C1p = (a1p * a1p + b1 * b1).squareRoot(), C2p = (a2p * a2p + b2 * b2).squareRoot()
        func hue(_ b: Double, _ a: Double) -> Double {
            if a == 0 && b == 0 { return 0 }
            let h = atan2(b, a) * deg
            return h < 0 ? h + 360 : h
        }
        let h1p = hue(b1, a1p), h2p = hue(b2, a2p)
        let dLp = L2 - L1, dCp = C2p - C1p
        var dhp = 0.0
        if C1p * C2p != 0 {
            dhp = h2p - h1p
            if dhp > 180 { dhp -= 360 } else if dhp < -180 { dhp += 360 }
        }
        let dHp = 2 * (C1p * C2p).squareRoot() * sin(dhp / 2 * rad)
        let Lbarp = (L1 + L2) / 2, Cbarp = (C1p + C2p) / 2
        var hbarp = h1p + h2p
        if C1p * C2p != 0 {
            if abs(h1p - h2p) <= 180 { hbarp = (h1p + h2p) / 2 }
            else if h1p + h2p < 360 { hbarp = (h1p + h2p + 360) / 2 }
            else { hbarp = (h1p + h2p - 360) / 2 }
        }
        let T = 1 - 0.17 * cos((hbarp - 30) * rad) + 0.24 * cos(2 * hbarp * rad)
            + 0.32 * cos((3 * hbarp + 6) * rad) - 0.20 * cos((4 * hbarp - 63) * rad)
        let dTheta = 30 * exp(-pow((hbarp - 275) / 25, 2))
        let Cbarp7 = pow(Cbarp, 7)
        let RC = 2 * (Cbarp7 / (Cbarp7 + pow(25.0, 7))).squareRoot()
        let l50 = (Lbarp - 50) * (Lbarp - 50)
        let SL = 1 + 0.015 * l50 / (20 + l50).squareRoot()
        let SC = 1 + 0.045 * Cbarp
        let SH = 1 + 0.015 * Cbarp * T
        let RT = -sin(2 * dTheta * rad) * RC
        let tL = dLp / (kL * SL), tC = dCp / (kC * SC), tH = dHp / (kH * SH)
        return (tL * tL + tC * tC + tH * tH + RT * tC * tH).squareRoot()
    }
}
