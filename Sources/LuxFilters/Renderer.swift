import LuxImage
import LuxKernels
import LuxKernelsAVX512

/// Applies a recipe to full-resolution planar images, reading and writing memory once.
///
/// Per recipe (once): steps become register kernels (``VectorKernel``) with their coefficients
/// computed in Double and broadcast to `SIMD8<Float>`. Runs of per-channel steps are folded: channel
/// gains (exposure, white balance, temperature) multiply together; a gamma with the gains around it
/// is one ``PowerKernel`` (x^γ from two register tables and a cubic, ~1e-7 relative; the gains before
/// it become a per-channel floor and an output gain g^γ, which a following curve takes as its input
/// scale); curves are ``CurveKernel``s (8-entry segment tables read with `vpermps`, exact); a run with
/// two or more gammas is cheaper as one ``SeparableLUT`` look-up per channel (by the measured costs
/// in ``cost(of:)``). Saturation, contrast and black & white have kernels of their own
/// (``ContrastKernel``: no cosine or division; ``BlackWhiteKernel``: α folded into the weights); the
/// other cross-channel steps run their filter's own SIMD8 formula (`exp`/`log`/`cosPi` via ``FastMath``).
/// The kernels (module LuxKernels) become block loops: a gamma and the curve after it, and a curve and
/// the black & white after it, share one loop (``KernelPair``); on a CPU with AVX-512 the loops come
/// from LuxKernelsAVX512 (the same kernels compiled for AVX-512: 32 registers, `vpermt2ps`), see
/// ``Loops``.
/// Per image: rows are split over cores with ``Parallel/forRanges(_:minChunk:_:)``; each thread takes
/// blocks of 2048 pixels per channel (24 KB; 2-3 % faster than 1024 in `lux-bench filters`, 256 was 15 %
/// slower): the first kernel reads the source and writes the destination block, every later kernel runs
/// in place on that block while it sits in L1 (ragged tails go through a padded scratch block). Alpha
/// planes are copied unchanged.
public struct Renderer: Sendable {
    public let recipe: Recipe
    /// One block loop per register kernel (``VectorKernel``) or fused pair, runs of per-channel steps folded.
    let kernels: [BlockKernel]
    /// Passes over each block (steps after folding, fused pairs counting once).
    public var passes: Int { kernels.count }
    static let block = 2048

    /// How runs of per-channel steps are rendered: ``auto`` picks the cheaper of a ``SeparableLUT`` and
    /// the steps' exact kernels by ``cost(of:)``; the others force one (tests and benchmarks).
    public enum SeparablePath: Sendable { case auto, table, exact }

    /// What the render writes: working-space values, or display values with the sRGB curve applied
    /// as a last step (clamped to [0, 1]; the image's `colorSpace` becomes `.sRGB`).
    public enum Output: Sendable { case linear, sRGB }
    public let output: Output

    /// Which block loops run the kernels: ``best`` takes the AVX-512 build of the kernels
    /// (LuxKernelsAVX512: same 8-lane code, 32 registers) when the CPU has it, ``avx2`` always the
    /// AVX2 build; both run a gamma and the curve after it, and a curve and the black & white after
    /// it, as one loop each. ``separate``: AVX2, one loop per step. Tests and benchmarks compare
    /// them; the results are identical bit for bit.
    public enum Loops: Sendable { case best, avx2, separate }
    /// Whether this renderer runs the AVX-512 loops.
    public let usesAVX512: Bool

    public init(_ recipe: Recipe, separable path: SeparablePath = .auto, output: Output = .linear, loops: Loops = .best) {
        self.recipe = recipe
        self.output = output
        usesAVX512 = loops == .best && WideLoops.available
        var ks: [any VectorKernel] = []
        var run: [RecipeStep] = []
        // A maximal run of per-channel steps: one ``SeparableLUT`` when ``useTable(_:_:)`` says so,
        // else gains folded into the gamma (``PowerKernel``) or curve (``CurveKernel``) they surround,
        // and a gains kernel only where nothing follows to fold them into. `carry`: gains left by the
        // previous kernel (a gamma's g^γ before a curve) for the next one to apply.
        func product(_ steps: ArraySlice<RecipeStep>) -> SIMD3<Double> {
            steps.reduce(SIMD3<Double>(1, 1, 1)) { $0 * Renderer.diagonalGains($1)! }
        }
        func gains(_ g: SIMD3<Double>) {
            if g != SIMD3(1, 1, 1) { ks.append(GainsKernel(g)) }
        }
        func flush() {
            var rest = run[...], carry = SIMD3<Double>(1, 1, 1)
            while !rest.isEmpty {
                // The rest of the run through one table when that is cheaper than its exact kernels.
                if Renderer.useTable(Array(rest), path) {
                    gains(carry); ks.append(SeparableLUT(Array(rest)))
                    carry = SIMD3(1, 1, 1); rest = rest[rest.endIndex...]; break
                }
                guard let k = rest.firstIndex(where: { Renderer.diagonalGains($0) == nil }) else { break }
                let before = carry * product(rest[..<k])
                if rest[k].filter == Gamma.id {
                    // Gains, gamma, gains: one ``PowerKernel`` pass; before a curve, the gamma's output
                    // gains and the gains after it become the curve's input gains (no multiply here).
                    let after = rest[(k + 1)...].prefix { Renderer.diagonalGains($0) != nil }
                    let next = rest[(k + 1 + after.count)...].first
                    let toCurve = next.map { SeparableLUT.isCurve($0.filter) } ?? false
                    var pre = before
                    if !PowerKernel.folds(pre) { gains(pre); pre = SIMD3(1, 1, 1) }
                    let power = PowerKernel(pre: pre, gamma: rest[k].values[0],
                                            post: toCurve ? SIMD3(1, 1, 1) : product(after), scaled: !toCurve)
                    ks.append(power)
                    carry = toCurve ? power.outGains : SIMD3(1, 1, 1)
                    rest = rest[(k + 1 + (toCurve ? 0 : after.count))...]
                    continue
                }
                if SeparableLUT.isCurve(rest[k].filter) {
                    // Gains, curve: the gains scale the curve's input (no pass of their own).
                    // Right after an unscaled gamma its input is positive (at least the floor to the γ,
                    // times gains > 0).
                    let afterPower = (ks.last as? PowerKernel).map { !$0.scaled } ?? false
                    ks.append(CurveKernel(rest[k], inputGains: before, positiveInput: afterPower))
                } else {
                    gains(before)
                    ks.append(FilterRegistry.vectorKernels[rest[k].filter]!(rest[k].values))
                }
                carry = SIMD3(1, 1, 1)
                rest = rest[(k + 1)...]
            }
            gains(carry * product(rest))
            run = []
        }
        for step in recipe.steps {
            if SeparableLUT.isSeparable(step.filter) { run.append(step); continue }
            flush()
            ks.append(FilterRegistry.vectorKernels[step.filter]!(step.values))
        }
        flush()
        if output == .sRGB { ks.append(SRGBEncodeKernel()) }
        kernels = BlockLoops.blockKernels(ks, wide: usesAVX512, pairs: loops != .separate)
    }

    /// Measured compute cost (CPU ns/pixel over 3 channels on a cache-resident tile, `lux-bench filters`,
    /// 2026-12-04, AMD EPYC, AVX2 code) of the exact kernels of per-channel steps, and of one
    /// ``SeparableLUT`` look-up: gains fold into a neighbour (≈ 0), a ``PowerKernel`` ≈ 2.1, a
    /// ``CurveKernel`` ≈ 0.2, the table ≈ 3.9. The table wins only for runs with two or more gammas.
    static let tableCost = 3.9
    static func cost(of step: RecipeStep) -> Double {
        if diagonalGains(step) != nil { return 0.05 }
        return step.filter == Gamma.id ? 2.1 : 0.2
    }

    /// Whether a run of per-channel steps is rendered through one ``SeparableLUT``.
    static func useTable(_ run: [RecipeStep], _ path: SeparablePath) -> Bool {
        guard SeparableLUT.canTabulate(run) else { return false }
        switch path {
        case .table: return true
        case .exact: return false
        case .auto: return run.map(cost(of:)).reduce(0, +) > tableCost
        }
    }

    /// Per-channel gains of the purely diagonal filters (exposure, white balance, temperature),
    /// so that runs of them collapse into one multiply per channel.
    static func diagonalGains(_ step: RecipeStep) -> SIMD3<Double>? {
        switch step.filter {
        case Exposure.id: let k = Exposure.coefficients(step.values); return SIMD3(k[0], k[0], k[0])
        case WhiteBalance.id: let k = WhiteBalance.coefficients(step.values); return SIMD3(k[0], k[1], k[2])
        case TemperatureTint.id: let k = TemperatureTint.coefficients(step.values); return SIMD3(k[0], k[1], k[2])
        default: return nil
        }
    }

    /// The rendered image (same size, channels and colour space).
    public func render(_ image: Image) -> Image {
        var out = Image(width: image.width, height: image.height, channels: image.channels,
                        colorSpace: output == .sRGB ? .sRGB : image.colorSpace)
        render(image, into: &out)
        return out
    }

    /// Renders `src` into `dst` (same dimensions), reusing `dst`'s storage.
    public func render(_ src: Image, into dst: inout Image) {
        precondition(src.width == dst.width && src.height == dst.height && src.channels == dst.channels, "render: size mismatch")
        if output == .sRGB { dst.colorSpace = .sRGB }
        let n = src.planeCount, w = src.width, kernels = self.kernels
        src.pixels.withUnsafeBufferPointer { sb in
            dst.pixels.withUnsafeMutableBufferPointer { db in
                let s = sb.baseAddress!, d = db.baseAddress!
                if src.channels == 4 { (d + 3 * n).update(from: s + 3 * n, count: n) }
                Parallel.forRanges(src.height, minChunk: max(1, 4096 / w)) { rows in
                    let bs = Renderer.block
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 3 * bs)
                    scratch.initialize(repeating: 0.5, count: 3 * bs)
                    defer { scratch.deallocate() }
                    let r = scratch, g = scratch + bs, b = scratch + 2 * bs
                    var i = rows.lowerBound * w
                    let end = rows.upperBound * w
                    while i < end {
                        let c = min(bs, end - i)
                        if c & 7 == 0 {
                            // First step reads the source, later steps work in place on the
                            // destination block (L1-resident after the first write).
                            let dr = d + i, dg = d + n + i, db = d + 2 * n + i
                            if kernels.isEmpty {
                                dr.update(from: s + i, count: c); dg.update(from: s + n + i, count: c)
                                db.update(from: s + 2 * n + i, count: c)
                            } else {
                                kernels[0].run(s + i, s + n + i, s + 2 * n + i, dr, dg, db, c)
                                for k in kernels.dropFirst() { k.run(dr, dg, db, dr, dg, db, c) }
                            }
                        } else {
                            // Ragged tail: go through the padded scratch block.
                            r.update(from: s + i, count: c)
                            g.update(from: s + n + i, count: c)
                            b.update(from: s + 2 * n + i, count: c)
                            let padded = (c + 7) & ~7
                            for k in kernels { k.run(r, g, b, r, g, b, padded) }
                            (d + i).update(from: r, count: c)
                            (d + n + i).update(from: g, count: c)
                            (d + 2 * n + i).update(from: b, count: c)
                        }
                        i += c
                    }
                }
            }
        }
    }
}

extension Filter {
    /// Fast full-resolution forward of this one filter (the renderer with a one-step recipe).
    public static func apply(to image: Image, _ params: [Double]) throws -> Image {
        Renderer(Recipe([try RecipeStep(id, params)])).render(image)
    }
}
