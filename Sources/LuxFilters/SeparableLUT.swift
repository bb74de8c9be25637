import CLuxSIMD
import LuxKernels
#if canImport(Glibc)
import Glibc
#endif

/// A run of per-channel steps (exposure, gamma, white balance, temperature, channel gains, tone and
/// colour curves) folded into one function f_c(x) per channel, evaluated through a lookup table on a
/// log-spaced grid indexed by the float's bits.
///
/// Grid: the nodes are the floats whose low `23 − M` mantissa bits are zero (M = ``mantissaBits`` = 8),
/// from 2^lo to 2^8, i.e. 2^M cells per octave, width h = 2^(e − M) in the octave [2^e, 2^(e+1)).
/// For x = bits: cell j = (bits − bits(2^lo)) >> (23 − M), t = low bits / 2^(23 − M) ∈ [0, 1),
/// f ≈ v_j + t·d_j + c_j·max(t − τ_j, 0): piecewise linear through the exact Double values at the
/// nodes and, in a cell holding a kink (the gamma floor max(x, 0.001) or one of a curve's 9 corners,
/// found by bisection on the monotone prefix of the run), through the exact value at the kink τ_j.
///
/// Error: only the curvature of the smooth pieces remains: h²/8·|f''| = γ|γ − 1|/8 · 2^(−2M) · f
/// relative for a power (M = 8: < 1.2e-5 relative for γ ∈ [1/3, 3]). Measured in `SeparableLUTTests`.
///
/// Domain: below 2^lo the run is constant (lo is chosen so that 2^lo·(gain before the first gamma)
/// ≤ 0.001, the gamma floor), so zero, negative and denormal inputs clamp to node 0 exactly; inputs
/// ≥ 2^8 (and NaN) fall back to the exact SIMD kernels of the steps for that 8-pixel vector.
/// Only runs whose first non-gain step is a gamma are tabulated (that makes the low end constant);
/// see ``Renderer`` for how other runs are split.
struct SeparableLUT: VectorKernel, @unchecked Sendable {
    /// Mantissa bits kept in the index: 2^M cells per octave.
    static let mantissaBits = 8
    static let hiExponent = 8
    typealias V = SIMD8<Float>

    /// Bits of 2^lo and 2^8.
    let loBits: Int32, hiBits: Int32
    /// Cells per channel.
    let cells: Int
    /// The steps' exact kernels, for inputs beyond the table.
    let exact: [any VectorKernel]
    /// Owns the table in aligned memory (channel-major, per cell (v_j, d_j, c_j, τ_j); no kink: c = 0, τ = 1).
    let storage: VectorBuffer

    /// Per-channel steps (p'_c depends on p_c only): gains, gamma and curves.
    static func isSeparable(_ id: String) -> Bool {
        id == Exposure.id || id == Gamma.id || id == WhiteBalance.id || id == TemperatureTint.id || isCurve(id)
    }
    static func isCurve(_ id: String) -> Bool { id == ToneCurve.id || id == ColorCurves.id }
    /// Whether `steps` can be tabulated: gains, then a gamma (the floor makes the low end constant).
    static func canTabulate(_ steps: [RecipeStep]) -> Bool {
        guard let first = steps.firstIndex(where: { Renderer.diagonalGains($0) == nil }) else { return false }
        return steps[first].filter == Gamma.id && steps.allSatisfy { isSeparable($0.filter) }
    }

    /// The exact Double composition of `steps` at (x, x, x): (f_R(x), f_G(x), f_B(x)).
    typealias Pixel = (Double, Double, Double)

    /// Step s as a Double pixel function with its coefficients computed once.
    static func pixelFunction(_ s: RecipeStep) -> (Pixel) -> Pixel {
        func make<F: Filter>(_ f: F.Type) -> (Pixel) -> Pixel {
            let k = F.coefficients(s.values)
            return { p in
                var (r, g, b) = p
                k.withUnsafeBufferPointer { F.apply(&r, &g, &b, $0) }
                return (r, g, b)
            }
        }
        return make(s.type)
    }

    /// The exact Double composition of the first `count` functions at (x, x, x).
    static func evaluate(_ fns: [(Pixel) -> Pixel], _ count: Int, _ x: Double) -> Pixel {
        var p = (x, x, x)
        for f in fns[..<count] { p = f(p) }
        return p
    }

    init(_ steps: [RecipeStep]) {
        precondition(Self.canTabulate(steps), "SeparableLUT: run must be separable and start with gains then a gamma")
        // Largest gain applied before the first gamma: below 0.001 / gain the run is constant.
        var gain = 1.0
        for s in steps {
            if s.filter == Gamma.id { break }
            if let g = Renderer.diagonalGains(s) { gain *= max(g.x, g.y, g.z) }
        }
        let lo = max(-126, Int((log2(0.001 / gain)).rounded(.down)))
        let m = Self.mantissaBits, shift = 23 - m
        let lb = Int32(lo + 127) << 23, cells = (Self.hiExponent - lo) << m
        loBits = lb
        hiBits = Int32(Self.hiExponent + 127) << 23
        self.cells = cells
        func node(_ j: Int) -> Double { Double(Float(bitPattern: UInt32(lb) + UInt32(j << shift))) }
        func channel(_ p: (Double, Double, Double), _ c: Int) -> Double { c == 0 ? p.0 : c == 1 ? p.1 : p.2 }
        // Input of step s at x, per channel, for every node (to find the cells a kink falls in).
        let fns = steps.map(Self.pixelFunction)
        let kinks: [[Double]] = steps.map {
            $0.filter == Gamma.id ? [0.001] : Self.isCurve($0.filter) ? (0...8).map { Double($0) / 8 } : []
        }
        let inputs: [[(Double, Double, Double)]] = (0...cells).map { j in
            var p = (node(j), node(j), node(j)), r: [(Double, Double, Double)] = []
            for f in fns { r.append(p); p = f(p) }
            r.append(p)
            return r
        }
        var t = [Float](repeating: 0, count: 3 * 4 * cells)
        for c in 0..<3 {
            for j in 0..<cells {
                let x0 = node(j), x1 = node(j + 1)
                let f0 = channel(inputs[j][steps.count], c), f1 = channel(inputs[j + 1][steps.count], c)
                var entry: (Double, Double, Double, Double) = (f0, f1 - f0, 0, 1)
                // First kink inside the cell (at most one at M = 8: corners are ≥ 4% apart in x).
                search: for (si, us) in kinks.enumerated() {
                    let a = channel(inputs[j][si], c), b = channel(inputs[j + 1][si], c)
                    for u in us where a < u && u < b {
                        var l = x0, h = x1
                        for _ in 0..<60 {
                            let mid = 0.5 * (l + h)
                            if channel(Self.evaluate(fns, si, mid), c) < u { l = mid } else { h = mid }
                        }
                        let tau = (h - x0) / (x1 - x0), fk = channel(Self.evaluate(fns, fns.count, h), c)
                        let d = (fk - f0) / tau
                        entry = (f0, d, (f1 - fk) / (1 - tau) - d, tau)
                        break search
                    }
                }
                let o = (c * cells + j) * 4
                t[o] = Float(entry.0); t[o + 1] = Float(entry.1); t[o + 2] = Float(entry.2); t[o + 3] = Float(entry.3)
            }
        }
        storage = VectorBuffer(count: (t.count + 7) / 8)
        UnsafeMutableRawPointer(storage.pointer).copyMemory(from: t, byteCount: t.count * 4)
        exact = steps.map { FilterRegistry.vectorKernels[$0.filter]!($0.values) }
    }

    /// Looks up one channel; `over` collects lanes at or above 2^8 (or NaN).
    @inline(__always) static func look(_ x: V, _ tab: UnsafePointer<Float>, _ lo: Int32, _ hi: Int32, _ shift: Int32,
                                       _ over: inout SIMDMask<SIMD8<Int32>>) -> V {
        let bits = unsafeBitCast(x, to: SIMD8<Int32>.self)
        over = over .| (bits .>= SIMD8(repeating: hi))
        let off = bits.clamped(lowerBound: SIMD8(repeating: lo), upperBound: SIMD8(repeating: hi - 1)) &- lo
        let idx = (off &>> shift) &<< 4
        let frac = V(off & SIMD8(repeating: (1 << shift) - 1)) * (1 / Float(1 << shift))
        // (AVX2 vgatherdps, four per channel, measured slower on this machine: 6.0 vs 4.3 ns/pixel.)
        // Eight 16-byte (v, d, c, τ) loads, then a 4×4 transpose per 128-bit half
        // (vinsertf128, vunpck{l,h}ps, vunpck{l,h}pd) instead of 32 scalar inserts.
        let raw = UnsafeRawPointer(tab)
        @inline(__always) func q(_ l: Int) -> SIMD4<Float> {
            raw.loadUnaligned(fromByteOffset: Int(idx[l]), as: SIMD4<Float>.self)
        }
        let r0 = V(lowHalf: q(0), highHalf: q(4)), r1 = V(lowHalf: q(1), highHalf: q(5))
        let r2 = V(lowHalf: q(2), highHalf: q(6)), r3 = V(lowHalf: q(3), highHalf: q(7))
        let t0 = V(r0[0], r1[0], r0[1], r1[1], r0[4], r1[4], r0[5], r1[5])
        let t1 = V(r0[2], r1[2], r0[3], r1[3], r0[6], r1[6], r0[7], r1[7])
        let t2 = V(r2[0], r3[0], r2[1], r3[1], r2[4], r3[4], r2[5], r3[5])
        let t3 = V(r2[2], r3[2], r2[3], r3[3], r2[6], r3[6], r2[7], r3[7])
        let v = V(t0[0], t0[1], t2[0], t2[1], t0[4], t0[5], t2[4], t2[5])
        let d = V(t0[2], t0[3], t2[2], t2[3], t0[6], t0[7], t2[6], t2[7])
        let c = V(t1[0], t1[1], t3[0], t3[1], t1[4], t1[5], t3[4], t3[5])
        let tau = V(t1[2], t1[3], t3[2], t3[3], t1[6], t1[7], t3[6], t3[7])
        // f = v + t·d + c·max(t − τ, 0): exact piecewise-linear through a kink at τ.
        return v.addingProduct(frac, d).addingProduct(c, V.maximum(frac - tau, V(repeating: 0)))
    }

    /// Three table look-ups per pixel, exact fallback per 8-pixel vector when needed.
    @inline(__always) func apply(_ r: inout V, _ g: inout V, _ b: inout V) {
        let t0 = UnsafeRawPointer(storage.pointer).assumingMemoryBound(to: Float.self)
        let t1 = t0 + 4 * cells, t2 = t0 + 8 * cells
        let sh = Int32(23 - SeparableLUT.mantissaBits)
        var over = SIMDMask<SIMD8<Int32>>(repeating: false)
        let yr = SeparableLUT.look(r, t0, loBits, hiBits, sh, &over), yg = SeparableLUT.look(g, t1, loBits, hiBits, sh, &over)
        let yb = SeparableLUT.look(b, t2, loBits, hiBits, sh, &over)
        if lux_nonzero8(unsafeBitCast(over, to: SIMD8<Int32>.self)) != 0 {
            fallback(&r, &g, &b)
        } else {
            r = yr; g = yg; b = yb
        }
    }

    /// Exact evaluation of one 8-pixel vector through the steps' own kernels (rare: values ≥ 2^8).
    @inline(never) func fallback(_ r: inout V, _ g: inout V, _ b: inout V) {
        for k in exact { k.apply(&r, &g, &b) }
    }
}
