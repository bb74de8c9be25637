import LuxImage

/// Pitié, Kokaram & Dahyot's N-dimensional PDF transfer ("iterative distribution transfer", ICCV 2005,
/// CVIU 2007): moves a colour distribution `f` onto a target `g` by repeating, for rotations `R_k`,
///
///     x_r = R_k·x;   t_i = C_{y_i}⁻¹ ∘ C_{x_i} for each projected axis i;   x ← x + λ·R_kᵀ·(t(x_r) − x_r)
///
/// KL(f⁽ᵏ⁾‖g) never increases, and `g` is the only fixed point (marginals on all directions determine
/// a distribution). λ (`relaxation`) is 1 in the paper's code.
///
/// Speed at full resolution: the maps are *planned* on at most `sampleLimit` source pixels (a stratified
/// subsample) against the target samples, with fine 1-D histograms (`bins`, default 4096, linear
/// interpolation between bin edges). The result is a ``Plan``, a list of (rotation, three monotone
/// look-up maps), which ``Plan/apply(to:)`` runs on every pixel in one multi-threaded pass, blockwise.
public enum PDFTransfer {
    public struct Options: Sendable {
        /// Rotations (iterations). The paper's README example uses 10.
        public var iterations = 10
        /// Bins of each 1-D histogram.
        public var bins = 4096
        /// At most this many source pixels are used to plan the maps.
        public var sampleLimit = 1 << 20
        /// Step size λ in `x ← x + λ·Rᵀ(t(x_r) − x_r)`.
        public var relaxation: Float = 1
        /// Seed of the rotation sequence and of the subsample.
        public var seed: UInt64 = 0
        public init(iterations: Int = 10, bins: Int = 4096, sampleLimit: Int = 1 << 20, relaxation: Float = 1, seed: UInt64 = 0) {
            self.iterations = iterations; self.bins = bins; self.sampleLimit = sampleLimit
            self.relaxation = relaxation; self.seed = seed
        }
    }

    /// One iteration: a rotation and the monotone map of each projected axis.
    public struct Step: Sendable, Equatable {
        public var rotation: Rotation3
        public var maps: [MarginalMap]
    }

    /// A planned transfer; applies to any colours (sRGB-encoded values, like the samples it was planned on).
    public struct Plan: Sendable, Equatable {
        public var steps: [Step]
        public var relaxation: Float

        /// Transfers one colour.
        public func apply(_ x: SIMD3<Float>) -> SIMD3<Float> {
            var x = x
            for s in steps {
                let p = s.rotation.project(x)
                let t = SIMD3(s.maps[0](p.x), s.maps[1](p.y), s.maps[2](p.z))
                x += relaxation * s.rotation.backProject(t - p)
            }
            return x
        }

        /// Transfers the RGB planes of `image` in place (alpha untouched). Multi-threaded over blocks of
        /// 1024 pixels; inside a block each step runs as three simple loops (project, look up, update).
        public func apply(to image: inout Image) {
            let n = image.planeCount
            let flat = steps.map { FlatStep($0) }
            let lambda = relaxation
            image.pixels.withUnsafeMutableBufferPointer { buf in
                let r = buf.baseAddress!, g = r + n, b = g + n
                nonisolated(unsafe) let (pr, pg, pb) = (r, g, b)
                let block = 1024
                Parallel.forRanges((n + block - 1) / block, minChunk: 4) { blocks in
                    var p0 = [Float](repeating: 0, count: block), p1 = p0, p2 = p0
                    for blk in blocks {
                        let lo = blk * block, m = Swift.min(block, n - lo)
                        let xr = pr + lo, xg = pg + lo, xb = pb + lo
                        for s in flat {
                            let a = s.rows
                            p0.withUnsafeMutableBufferPointer { q0 in p1.withUnsafeMutableBufferPointer { q1 in p2.withUnsafeMutableBufferPointer { q2 in
                                for i in 0..<m {
                                    let x = xr[i], y = xg[i], z = xb[i]
                                    q0[i] = a.0 * x + a.1 * y + a.2 * z
                                    q1[i] = a.3 * x + a.4 * y + a.5 * z
                                    q2[i] = a.6 * x + a.7 * y + a.8 * z
                                }
                                s.maps[0].delta(q0.baseAddress!, m)
                                s.maps[1].delta(q1.baseAddress!, m)
                                s.maps[2].delta(q2.baseAddress!, m)
                                for i in 0..<m {
                                    let d0 = lambda * q0[i], d1 = lambda * q1[i], d2 = lambda * q2[i]
                                    xr[i] += a.0 * d0 + a.3 * d1 + a.6 * d2
                                    xg[i] += a.1 * d0 + a.4 * d1 + a.7 * d2
                                    xb[i] += a.2 * d0 + a.5 * d1 + a.8 * d2
                                }
                            } } }
                        }
                    }
                }
            }
        }
    }

    /// Plans the transfer of `source` onto `target` (both sample sets; see ``ColorSamples``). The
    /// source samples are moved along; the returned plan reproduces that motion for any colour.
    public static func plan(source: ColorSamples, target: ColorSamples, options: Options = Options()) -> Plan {
        var x = source
        let rotations = Rotation3.sequence(count: options.iterations, seed: options.seed)
        var steps: [Step] = []
        for rot in rotations {
            let px = project(x, rot), py = project(target, rot)
            var maps = [MarginalMap](repeating: .identity(), count: 3)
            maps.withUnsafeMutableBufferPointer { mb in
                nonisolated(unsafe) let out = mb.baseAddress!
                Parallel.forRanges(3, minChunk: 1) { axes in
                    for a in axes { out[a] = matchAxis(px[a], py[a], bins: options.bins) }
                }
            }
            let step = Step(rotation: rot, maps: maps)
            let single = Plan(steps: [step], relaxation: options.relaxation)
            x = single.applied(to: x)
            steps.append(step)
        }
        return Plan(steps: steps, relaxation: options.relaxation)
    }

    /// Plans on a subsample of `image` against `target` and applies the plan to all of `image`
    /// (sRGB-encoded RGB in [0, 1]).
    public static func transfer(_ image: Image, to target: ColorSamples, options: Options = Options()) -> Image {
        let plan = plan(source: ColorSamples(image: image, limit: options.sampleLimit, seed: options.seed ^ 0x9E37),
                        target: target, options: options)
        var out = image
        plan.apply(to: &out)
        return out
    }

    /// The projections `R·x` of all samples, one array per axis.
    static func project(_ s: ColorSamples, _ rot: Rotation3) -> [[Float]] {
        let n = s.count
        return (0..<3).map { a in
            let w = rot.rows[a]
            var out = [Float](repeating: 0, count: n)
            s.values.withUnsafeBufferPointer { v in
                for i in 0..<n { out[i] = w.x * v[i] + w.y * v[n + i] + w.z * v[2 * n + i] }
            }
            return out
        }
    }

    /// The 1-D map of one axis: common range of both sets, `bins` bins, ``MarginalMap/matching``.
    static func matchAxis(_ x: [Float], _ y: [Float], bins: Int) -> MarginalMap {
        var lo = Float.infinity, hi = -Float.infinity
        for v in x { lo = Swift.min(lo, v); hi = Swift.max(hi, v) }
        for v in y { lo = Swift.min(lo, v); hi = Swift.max(hi, v) }
        let margin = Swift.max(1e-4, (hi - lo) * 1e-4)
        lo -= margin; hi += margin
        func histogram(_ v: [Float]) -> [Double] {
            var h = [Double](repeating: 0, count: bins)
            let scale = Float(bins) / (hi - lo), last = bins - 1
            for x in v { h[Swift.min(last, Swift.max(0, Int((x - lo) * scale)))] += 1 }
            return h
        }
        return MarginalMap.matching(source: histogram(x), target: histogram(y), lo: lo, hi: hi)
    }
}

extension PDFTransfer.Plan {
    /// The plan applied to a sample set (planar, like an image's planes).
    func applied(to s: ColorSamples) -> ColorSamples {
        var img = Image(width: s.count, height: 1, channels: 3, colorSpace: .sRGB, pixels: s.values)
        apply(to: &img)
        return ColorSamples(count: s.count, values: img.pixels)
    }
}

/// A step flattened for the pixel loop: the rotation as 9 scalars, the maps as ``FlatMap``s.
struct FlatStep {
    let rows: (Float, Float, Float, Float, Float, Float, Float, Float, Float)
    let maps: [FlatMap]
    init(_ s: PDFTransfer.Step) {
        let r = s.rotation.rows
        rows = (r[0].x, r[0].y, r[0].z, r[1].x, r[1].y, r[1].z, r[2].x, r[2].y, r[2].z)
        maps = s.maps.map(FlatMap.init)
    }
}

/// A ``MarginalMap`` stored as knot values and per-bin slopes, for the pixel loop.
struct FlatMap: @unchecked Sendable {
    let lo: Float, hi: Float, scale: Float, last: Int
    let knots: [Float]
    init(_ m: MarginalMap) {
        lo = m.lo; hi = m.hi; scale = Float(m.bins) / (m.hi - m.lo); last = m.bins - 1
        knots = m.knots
    }

    /// Replaces each projected value `p` by `t(p) − p`.
    func delta(_ p: UnsafeMutablePointer<Float>, _ m: Int) {
        knots.withUnsafeBufferPointer { kb in
            let k = kb.baseAddress!
            for i in 0..<m {
                let v = p[i]
                let c = Swift.min(Swift.max(v, lo), hi)
                let t = (c - lo) * scale
                let j = Swift.min(Int(t), last)
                let f = t - Float(j)
                p[i] = k[j] + f * (k[j + 1] - k[j]) - c
            }
        }
    }
}
