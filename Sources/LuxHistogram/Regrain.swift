import LuxImage

/// Pitié, Kokaram & Dahyot's grain-artefact reduction ("regrain", CVMP 2005 §4, author code `regrain.m`):
/// after a colour transfer `t(I)` of an original `I`, find `J` minimising
///
///     ∬ φ·‖∇J − ∇I‖² + ψ·‖J − t(I)‖²
///
/// so `J` keeps the original's gradient field (no stretched grain, no banding) and the transferred colours.
/// Weights (per pixel, from the original's gradient `dI = √(Σ_c Gx² + Gy²)` with central differences
/// `Gx = I(x+1) − I(x−1)`): `ψ = min(256·dI/5, 1)` (data term, ≈ 0 in flat areas), `φ = 30·h / (1 + 10·dI/s)`
/// (gradient term; `h = 2^−level`, smoothness `s` = 1), and `φ_n = (φ(n) + φ(centre))/2` on each 4-neighbour link.
///
/// Solver (as in the author code): a coarse-to-fine pyramid of 2× box reductions while both half sides
/// exceed 20 px (at most 6 levels), damped Jacobi sweeps `[4, 16, 32, 64, 64, 64]` from the finest level
/// down, the coarse solution bilinearly upsampled as the next level's start; the update is
///
///     J_new = (ψ·t(I) + Σ_n φ_n·(J_n − I_n + I)) / (ψ + Σ_n φ_n),   J ← (1 − ρ)·J_new + ρ·J,  ρ = 1/5,
///
/// here written for `K = J − I` (`K_new = (ψ·(t(I) − I) + Σ φ_n K_n)/(ψ + Σ φ_n)`). One change from the
/// author code: the coarsest level starts from `J = t(I)` instead of `J = I`. The minimiser is the same,
/// but on small images (few levels, so the coarsest still has a large φ and too few sweeps to converge)
/// `J = I` left the result near the *original* colours; starting from the transfer keeps them.
/// Borders are Neumann (replicated; the MATLAB code wraps around). Cost ≈ 12 full-resolution sweeps;
/// multi-threaded over rows.
public enum Regrain {
    public static let sweeps = [4, 16, 32, 64, 64, 64]

    /// `J` for `original` I and `transferred` t(I) (same size; RGB planes; alpha, if any, from `transferred`).
    public static func apply(original: Image, transferred: Image, smoothness: Float = 1) -> Image {
        precondition(original.width == transferred.width && original.height == transferred.height, "regrain: sizes differ")
        let i0 = original.rgb()
        var diff = transferred.rgb()
        diff.pixels.withUnsafeMutableBufferPointer { d in
            i0.pixels.withUnsafeBufferPointer { s in
                nonisolated(unsafe) let (dp, sp) = (d.baseAddress!, s.baseAddress!)
                Parallel.forRanges(d.count, minChunk: 1 << 16) { r in for j in r { dp[j] -= sp[j] } }
            }
        }
        let k = solve(i0, diff, sweeps: sweeps[...], level: 0, smoothness: smoothness)
        var out = transferred
        out.pixels.withUnsafeMutableBufferPointer { o in
            i0.pixels.withUnsafeBufferPointer { s in
                k.pixels.withUnsafeBufferPointer { kk in
                    nonisolated(unsafe) let (op, sp, kp) = (o.baseAddress!, s.baseAddress!, kk.baseAddress!)
                    Parallel.forRanges(kk.count, minChunk: 1 << 16) { r in for j in r { op[j] = sp[j] + kp[j] } }
                }
            }
        }
        return out
    }

    /// Solves for `K = J − I` at one level, after solving the next coarser level when there is one.
    static func solve(_ i0: Image, _ t: Image, sweeps: ArraySlice<Int>, level: Int, smoothness: Float) -> Image {
        let w = i0.width, h = i0.height, w2 = (w + 1) / 2, h2 = (h + 1) / 2
        var k: Image
        if sweeps.count > 1 && w2 > 20 && h2 > 20 {
            let coarse = solve(i0.resized(width: w2, height: h2, filter: .box), t.resized(width: w2, height: h2, filter: .box),
                               sweeps: sweeps.dropFirst(), level: level + 1, smoothness: smoothness)
            k = coarse.resized(width: w, height: h, filter: .bilinear)
        } else {
            k = t  // coarsest level: start from the transferred colours (see the type's notes)
        }
        let (psi, phi) = weights(i0, scale: Float(30) / Float(1 << level), smoothness: smoothness)
        let links = Links(psi: psi, phi: phi, width: w, height: h)
        var next = k
        for _ in 0..<sweeps.first! {
            sweep(k, into: &next, t: t, links: links)
            swap(&k, &next)
        }
        return k
    }

    /// The per-level constants of the sweep: link weights `φ_n` (horizontal link `i↔i+1` in `east`,
    /// vertical `i↔i+w` in `south`; zero across the border, which is the Neumann condition), the data
    /// weight ψ and `1/(ψ + Σ φ_n)`.
    struct Links {
        var east: [Float], south: [Float], psi: [Float], inv: [Float]
        init(psi: [Float], phi: [Float], width w: Int, height h: Int) {
            let n = w * h
            var e = [Float](repeating: 0, count: n), so = e, iv = e
            self.psi = psi
            e.withUnsafeMutableBufferPointer { eb in so.withUnsafeMutableBufferPointer { sb in iv.withUnsafeMutableBufferPointer { ib in
                phi.withUnsafeBufferPointer { fb in psi.withUnsafeBufferPointer { pb in
                    nonisolated(unsafe) let (ep, sp, ip, fp, pp) = (eb.baseAddress!, sb.baseAddress!, ib.baseAddress!, fb.baseAddress!, pb.baseAddress!)
                    Parallel.forRanges(h, minChunk: 16) { rows in
                        for y in rows {
                            for x in 0..<w {
                                let i = y * w + x
                                if x + 1 < w { ep[i] = (fp[i] + fp[i + 1]) * 0.5 }
                                if y + 1 < h { sp[i] = (fp[i] + fp[i + w]) * 0.5 }
                            }
                        }
                    }
                    Parallel.forRanges(h, minChunk: 16) { rows in
                        for y in rows {
                            for x in 0..<w {
                                let i = y * w + x
                                let west: Float = x > 0 ? (fp[i - 1] + fp[i]) * 0.5 : 0
                                let north: Float = y > 0 ? (fp[i - w] + fp[i]) * 0.5 : 0
                                ip[i] = 1 / (pp[i] + ep[i] + west + sp[i] + north + 1e-12)
                            }
                        }
                    }
                } }
            } } }
            east = e; south = so; inv = iv
        }
    }

    /// ψ and φ planes of one level.
    static func weights(_ i0: Image, scale: Float, smoothness: Float) -> (psi: [Float], phi: [Float]) {
        let w = i0.width, h = i0.height, n = w * h
        var psi = [Float](repeating: 0, count: n), phi = psi
        i0.pixels.withUnsafeBufferPointer { src in
            psi.withUnsafeMutableBufferPointer { ps in
                phi.withUnsafeMutableBufferPointer { ph in
                    nonisolated(unsafe) let (s, pp, pf) = (src.baseAddress!, ps.baseAddress!, ph.baseAddress!)
                    Parallel.forRanges(h, minChunk: 8) { rows in
                        for y in rows {
                            let yu = Swift.max(y - 1, 0) * w, yd = Swift.min(y + 1, h - 1) * w
                            for x in 0..<w {
                                let xl = Swift.max(x - 1, 0), xr = Swift.min(x + 1, w - 1)
                                var g2: Float = 0
                                for c in 0..<3 {
                                    let p = s + c * n
                                    let gx = p[y * w + xr] - p[y * w + xl], gy = p[yd + x] - p[yu + x]
                                    g2 += gx * gx + gy * gy
                                }
                                let dI = g2.squareRoot()
                                pp[y * w + x] = Swift.min(256 * dI / 5, 1)
                                pf[y * w + x] = scale / (1 + 10 * dI / smoothness)
                            }
                        }
                    }
                }
            }
        }
        return (psi, phi)
    }

    /// One damped Jacobi sweep: `next = (1 − ρ)·K_new + ρ·k`, row by row in parallel; each row is one
    /// branch-free loop per channel (links across the border are zero, so out-of-image neighbours are
    /// read from clamped rows/columns with weight 0).
    static func sweep(_ k: Image, into next: inout Image, t: Image, links: Links) {
        let w = k.width, h = k.height, n = w * h
        let rho: Float = 0.2
        k.pixels.withUnsafeBufferPointer { kb in
            next.pixels.withUnsafeMutableBufferPointer { nb in
                t.pixels.withUnsafeBufferPointer { tb in
                    links.east.withUnsafeBufferPointer { eb in
                        links.south.withUnsafeBufferPointer { sb in
                            links.psi.withUnsafeBufferPointer { pb in
                                links.inv.withUnsafeBufferPointer { ib in
                                    nonisolated(unsafe) let (kp, np, tp) = (kb.baseAddress!, nb.baseAddress!, tb.baseAddress!)
                                    nonisolated(unsafe) let (ep, sp, ps, iv) = (eb.baseAddress!, sb.baseAddress!, pb.baseAddress!, ib.baseAddress!)
                                    Parallel.forRanges(h, minChunk: 8) { rows in
                                        for y in rows {
                                            let row = y * w
                                            let up = Swift.max(y - 1, 0) * w, down = Swift.min(y + 1, h - 1) * w
                                            let e = ep + row, so = sp + row, no = sp + up, p = ps + row, inv = iv + row
                                            for c in 0..<3 {
                                                let kr = kp + c * n + row, ku = kp + c * n + up, kd = kp + c * n + down
                                                let tr = tp + c * n + row, out = np + c * n + row
                                                // x = 0 and x = w − 1: west / east links are zero.
                                                @inline(__always) func value(_ x: Int, west: Float, kw: Float, ke: Float) -> Float {
                                                    let north: Float = y > 0 ? no[x] : 0
                                                    let num = p[x] * tr[x] + west * kw + e[x] * ke + north * ku[x] + so[x] * kd[x]
                                                    return (1 - rho) * num * inv[x] + rho * kr[x]
                                                }
                                                out[0] = value(0, west: 0, kw: 0, ke: w > 1 ? kr[1] : 0)
                                                if w > 1 { out[w - 1] = value(w - 1, west: e[w - 2], kw: kr[w - 2], ke: 0) }
                                                if w > 2 {
                                                    let noRow: UnsafePointer<Float> = y > 0 ? UnsafePointer(no) : UnsafePointer(so)
                                                    let nScale: Float = y > 0 ? 1 : 0
                                                    for x in 1..<(w - 1) {
                                                        let num = p[x] * tr[x] + e[x - 1] * kr[x - 1] + e[x] * kr[x + 1]
                                                            + nScale * noRow[x] * ku[x] + so[x] * kd[x]
                                                        out[x] = (1 - rho) * num * inv[x] + rho * kr[x]
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
