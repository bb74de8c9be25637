import Foundation
import LuxImage

/// Carries a low-resolution correction to full resolution with a colour guided filter (He, Sun & Tang
/// 2013; the "fast guided filter" upsampling of He & Sun 2015): on the low-resolution pair, fit in every
/// `(2r+1)²` window a 3x4 affine colour transform `out = A·[R G B] + b` (ridge term `eps`), average the
/// coefficients over the windows covering each pixel, upsample the 12 coefficient planes bilinearly and
/// apply them to the full-resolution input. Edges of the full-resolution photo survive because the
/// transform is applied to its own pixels; only the *correction* is smooth.
public enum GuidedUpsample {
    /// Default window radius (low-resolution pixels) and regularisation for 512 px runs.
    public static let defaultRadius = 4
    public static let defaultEpsilon: Float = 1e-4

    /// Per-pixel affine coefficients (12 planes: A row-major by output channel, then b) fitted on
    /// `input` -> `output` (same size, RGB).
    public static func coefficients(input I: Image, output P: Image, radius r: Int = defaultRadius, epsilon eps: Float = defaultEpsilon) -> [[Float]] {
        precondition(I.width == P.width && I.height == P.height, "guided filter needs images of one size")
        let w = I.width, h = I.height, n = w * h
        let ip = (0..<3).map { I.plane($0) }, pp = (0..<3).map { P.plane($0) }
        func box(_ x: [Float]) -> [Float] { boxMean(x, width: w, height: h, radius: r) }
        let mI = ip.map(box), mP = pp.map(box)
        var cII = [[Float]](repeating: [], count: 9)
        for a in 0..<3 { for b in a..<3 {
            let m = box((0..<n).map { ip[a][$0] * ip[b][$0] })
            cII[a * 3 + b] = (0..<n).map { m[$0] - mI[a][$0] * mI[b][$0] }
            cII[b * 3 + a] = cII[a * 3 + b]
        } }
        var cIP = [[Float]](repeating: [], count: 9)   // [k * 3 + c]: cov(I_c, P_k)
        for k in 0..<3 { for c in 0..<3 {
            let m = box((0..<n).map { ip[c][$0] * pp[k][$0] })
            cIP[k * 3 + c] = (0..<n).map { m[$0] - mI[c][$0] * mP[k][$0] }
        } }
        var coef = [[Float]](repeating: [Float](repeating: 0, count: n), count: 12)
        for i in 0..<n {
            // Σ + eps I, inverted by cofactors (symmetric 3x3).
            let a = Double(cII[0][i] + eps), b = Double(cII[1][i]), c = Double(cII[2][i])
            let d = Double(cII[4][i] + eps), e = Double(cII[5][i]), f = Double(cII[8][i] + eps)
            let A = d * f - e * e, B = c * e - b * f, C = b * e - c * d
            let D = a * f - c * c, E = b * c - a * e, F = a * d - b * b
            let det = a * A + b * B + c * C
            let inv = 1 / det
            for k in 0..<3 {
                let v0 = Double(cIP[k * 3][i]), v1 = Double(cIP[k * 3 + 1][i]), v2 = Double(cIP[k * 3 + 2][i])
                let x0 = (A * v0 + B * v1 + C * v2) * inv
                let x1 = (B * v0 + D * v1 + E * v2) * inv
                let x2 = (C * v0 + E * v1 + F * v2) * inv
                coef[k * 3][i] = Float(x0); coef[k * 3 + 1][i] = Float(x1); coef[k * 3 + 2][i] = Float(x2)
                coef[9 + k][i] = mP[k][i] - Float(x0) * mI[0][i] - Float(x1) * mI[1][i] - Float(x2) * mI[2][i]
            }
        }
        return coef.map(box)
    }

    /// Mean over the `(2r+1)²` window clipped to the image (summed-area table in Double).
    static func boxMean(_ x: [Float], width w: Int, height h: Int, radius r: Int) -> [Float] {
        var sat = [Double](repeating: 0, count: (w + 1) * (h + 1))
        for y in 0..<h {
            var row = 0.0
            for xx in 0..<w {
                row += Double(x[y * w + xx])
                sat[(y + 1) * (w + 1) + xx + 1] = sat[y * (w + 1) + xx + 1] + row
            }
        }
        var out = [Float](repeating: 0, count: w * h)
        for y in 0..<h {
            let y0 = max(0, y - r), y1 = min(h, y + r + 1)
            for xx in 0..<w {
                let x0 = max(0, xx - r), x1 = min(w, xx + r + 1)
                let s = sat[y1 * (w + 1) + x1] - sat[y0 * (w + 1) + x1] - sat[y1 * (w + 1) + x0] + sat[y0 * (w + 1) + x0]
                out[y * w + xx] = Float(s / Double((y1 - y0) * (x1 - x0)))
            }
        }
        return out
    }

    /// `full` corrected by the transform that maps `lowInput` to `lowOutput` (both a downscaled copy of
    /// `full` and its correction); coefficients are sampled with half-pixel-centre bilinear interpolation.
    /// Output clipped to [0, 1], colour space of `full`.
    public static func apply(lowInput: Image, lowOutput: Image, full: Image, radius: Int = defaultRadius, epsilon: Float = defaultEpsilon) -> Image {
        let coef = coefficients(input: lowInput, output: lowOutput, radius: radius, epsilon: epsilon)
        let lw = lowInput.width, lh = lowInput.height, W = full.width, H = full.height
        // Horizontal taps, shared by all rows.
        let sx = Float(lw) / Float(W), sy = Float(lh) / Float(H)
        var xi0 = [Int](repeating: 0, count: W), xi1 = xi0, xw = [Float](repeating: 0, count: W)
        for x in 0..<W {
            let u = max(0, (Float(x) + 0.5) * sx - 0.5)
            let i0 = min(Int(u), lw - 1)
            xi0[x] = i0; xi1[x] = min(i0 + 1, lw - 1); xw[x] = u - Float(i0)
        }
        var out = Image(width: W, height: H, channels: 3, colorSpace: full.colorSpace)
        let plane = W * H
        let flat = coef.flatMap { $0 }
        flat.withUnsafeBufferPointer { cf in
            full.pixels.withUnsafeBufferPointer { src in
                out.pixels.withUnsafeMutableBufferPointer { dst in
                    let cfp = cf.baseAddress!, sp = src.baseAddress!, dp = dst.baseAddress!
                    let lplane = lw * lh
                    Parallel.forRanges(H, minChunk: 8) { rows in
                        // Per row: the 12 coefficient rows interpolated vertically at low resolution, then
                        // horizontally to full width, then one contiguous pass over the pixels.
                        let rowCoef = UnsafeMutablePointer<Float>.allocate(capacity: 12 * lw)
                        let fc = UnsafeMutablePointer<Float>.allocate(capacity: 12 * W)
                        defer { rowCoef.deallocate(); fc.deallocate() }
                        for y in rows {
                            let v = max(0, (Float(y) + 0.5) * sy - 0.5)
                            let j0 = min(Int(v), lh - 1), j1 = min(j0 + 1, lh - 1), wy = v - Float(j0)
                            for k in 0..<12 {
                                let a = cfp + k * lplane + j0 * lw, b = cfp + k * lplane + j1 * lw, o = rowCoef + k * lw
                                for x in 0..<lw { o[x] = a[x] + wy * (b[x] - a[x]) }
                                let f = fc + k * W
                                for x in 0..<W {
                                    let p0 = o[xi0[x]], p1 = o[xi1[x]]
                                    f[x] = p0 + xw[x] * (p1 - p0)
                                }
                            }
                            let r = sp + y * W, g = sp + plane + y * W, bl = sp + 2 * plane + y * W
                            for k in 0..<3 {
                                let ar = fc + (k * 3) * W, ag = fc + (k * 3 + 1) * W, ab = fc + (k * 3 + 2) * W, b0 = fc + (9 + k) * W
                                let d = dp + k * plane + y * W
                                for x in 0..<W {
                                    let val = ar[x] * r[x] + ag[x] * g[x] + ab[x] * bl[x] + b0[x]
                                    d[x] = min(max(val, 0), 1)
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
