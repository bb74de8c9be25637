#if canImport(Glibc)
import Glibc
#endif

/// A maximal run of smooth per-channel steps (exposure, gamma, white balance, temperature, channel
/// gains) folded into one function f_c(x) per channel, evaluated through a lookup table on a
/// log-spaced grid indexed by the float's bits.
///
/// Grid: the nodes are the floats whose low `23 − M` mantissa bits are zero (M = ``mantissaBits``),
/// from 2^lo to 2^8, i.e. 2^M nodes per octave, spacing h = 2^(e − M) in the octave [2^e, 2^(e+1)).
/// For x = bits: cell j = (bits − bits(2^lo)) >> (23 − M), t = low bits / 2^(23 − M) ∈ [0, 1),
/// f ≈ v_j + t·(v_{j+1} − v_j) (piecewise linear in x; node values computed exactly in Double).
///
/// Error: linear interpolation of a power x^γ·G costs at most h²/8·|f''| = γ|γ − 1|/8 · 2^(−2M) · f
/// relative (M = 8: < 1.2e-5 relative for γ ∈ [1/3, 3]); the gamma floor max(x, 0.001) adds one kink
/// whose error is ≤ h·Δf'/4 ≈ γ f(0.001)/4 · 2^(−M) absolute. Measured in `SeparableLUTTests`.
///
/// Domain: below 2^lo the run is constant (lo is chosen so that 2^lo·(gain before the first gamma)
/// ≤ 0.001, the gamma floor), so zero, negative and denormal inputs clamp to node 0 exactly; inputs
/// ≥ 2^8 (and NaN) fall back to the exact SIMD kernels of the steps for that 8-pixel vector.
/// Runs without a gamma are not tabulated (they are a plain gain; see ``Renderer``). Tone and colour
/// curves are not folded in: their kinks fall between grid nodes after a gain or gamma, where
/// linear interpolation would err by up to h·Δslope/4 ≈ 1e-3 at M = 8.
struct SeparableLUT: @unchecked Sendable {
    /// Mantissa bits kept in the index: 2^M cells per octave.
    static let mantissaBits = 8
    static let hiExponent = 8
    typealias V = SIMD8<Float>

    /// Bits of 2^lo and 2^8.
    let loBits: Int32, hiBits: Int32
    /// Cells per channel.
    let cells: Int
    /// Channel-major, per cell (v_j, v_{j+1} − v_j).
    let table: [Float]
    /// The steps' exact kernels, for inputs beyond the table.
    let exact: [BlockKernel]

    /// Steps that can be tabulated: smooth, per channel, exact identity elsewhere.
    static func isSmoothSeparable(_ id: String) -> Bool {
        id == Exposure.id || id == Gamma.id || id == WhiteBalance.id || id == TemperatureTint.id
    }

    /// The exact Double composition of `steps` at (x, x, x): (f_R(x), f_G(x), f_B(x)).
    static func evaluate(_ steps: [RecipeStep], _ x: Double) -> (Double, Double, Double) {
        var p = (x, x, x)
        for s in steps { p = s.type.applyPixel(p, s.values) }
        return p
    }

    init(_ steps: [RecipeStep]) {
        precondition(steps.allSatisfy { Self.isSmoothSeparable($0.filter) }, "SeparableLUT: non-separable step")
        // Largest gain applied before the first gamma: below 0.001 / gain the run is constant.
        var gain = 1.0
        for s in steps {
            if s.filter == Gamma.id { break }
            if let g = Renderer.diagonalGains(s) { gain *= max(g.x, g.y, g.z) }
        }
        let lo = max(-126, Int((log2(0.001 / gain)).rounded(.down)))
        let m = Self.mantissaBits, shift = 23 - m
        loBits = Int32(lo + 127) << 23
        hiBits = Int32(Self.hiExponent + 127) << 23
        cells = (Self.hiExponent - lo) << m
        var v = [[Double]](repeating: [Double](repeating: 0, count: cells + 1), count: 3)
        for j in 0...cells {
            let x = Double(Float(bitPattern: UInt32(loBits) + UInt32(j << shift)))
            let y = Self.evaluate(steps, x)
            v[0][j] = y.0; v[1][j] = y.1; v[2][j] = y.2
        }
        var t = [Float](repeating: 0, count: 3 * 2 * cells)
        for c in 0..<3 {
            for j in 0..<cells {
                let a = Float(v[c][j])
                t[(c * cells + j) * 2] = a
                t[(c * cells + j) * 2 + 1] = Float(v[c][j + 1]) - a
            }
        }
        table = t
        exact = steps.map { FilterRegistry.blockKernels[$0.filter]!($0.values) }
    }

    /// Looks up one channel; `over` collects lanes at or above 2^8 (or NaN).
    @inline(__always) static func look(_ x: V, _ tab: UnsafePointer<Float>, _ lo: Int32, _ hi: Int32,
                                       _ over: inout SIMDMask<SIMD8<Int32>>) -> V {
        let bits = unsafeBitCast(x, to: SIMD8<Int32>.self)
        over = over .| (bits .>= SIMD8(repeating: hi))
        let off = bits.clamped(lowerBound: SIMD8(repeating: lo), upperBound: SIMD8(repeating: hi - 1)) &- lo
        let shift = Int32(23 - mantissaBits)
        let idx = (off &>> shift) &<< 1
        let frac = V(off & SIMD8(repeating: (1 << shift) - 1)) * (1 / Float(1 << shift))
        var a = V(), d = V()
        for l in 0..<8 {
            let k = Int(idx[l])
            a[l] = tab[k]; d[l] = tab[k + 1]
        }
        return a.addingProduct(frac, d)
    }

    /// Block kernel: three table look-ups per pixel, exact fallback per 8-pixel vector when needed.
    var blockKernel: BlockKernel {
        let lut = self
        return BlockKernel { sr, sg, sb, r, g, b, n in
            lut.table.withUnsafeBufferPointer { tb in
                let t0 = tb.baseAddress!, t1 = t0 + 2 * lut.cells, t2 = t0 + 4 * lut.cells
                let lo = lut.loBits, hi = lut.hiBits
                var i = 0
                while i < n {
                    let xr = UnsafeRawPointer(sr + i).loadUnaligned(as: V.self)
                    let xg = UnsafeRawPointer(sg + i).loadUnaligned(as: V.self)
                    let xb = UnsafeRawPointer(sb + i).loadUnaligned(as: V.self)
                    var over = SIMDMask<SIMD8<Int32>>(repeating: false)
                    let yr = SeparableLUT.look(xr, t0, lo, hi, &over), yg = SeparableLUT.look(xg, t1, lo, hi, &over)
                    let yb = SeparableLUT.look(xb, t2, lo, hi, &over)
                    UnsafeMutableRawPointer(r + i).storeBytes(of: yr, as: V.self)
                    UnsafeMutableRawPointer(g + i).storeBytes(of: yg, as: V.self)
                    UnsafeMutableRawPointer(b + i).storeBytes(of: yb, as: V.self)
                    if any(over) { lut.fallback(xr, xg, xb, r + i, g + i, b + i) }
                    i += 8
                }
            }
        }
    }

    /// Exact evaluation of one 8-pixel vector through the steps' own kernels (rare: values ≥ 2^8).
    @inline(never) func fallback(_ xr: V, _ xg: V, _ xb: V, _ r: UnsafeMutablePointer<Float>,
                                 _ g: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>) {
        let s = UnsafeMutablePointer<Float>.allocate(capacity: 24)
        defer { s.deallocate() }
        UnsafeMutableRawPointer(s).storeBytes(of: xr, as: V.self)
        UnsafeMutableRawPointer(s + 8).storeBytes(of: xg, as: V.self)
        UnsafeMutableRawPointer(s + 16).storeBytes(of: xb, as: V.self)
        for k in exact { k.run(s, s + 8, s + 16, s, s + 8, s + 16, 8) }
        r.update(from: s, count: 8); g.update(from: s + 8, count: 8); b.update(from: s + 16, count: 8)
    }
}
