import LuxImage

/// Applies a recipe to full-resolution planar images in one fused pass.
///
/// Per recipe (once): each step's coefficients (normalised curve knots, gains, 2^EV...) are computed
/// in Double and broadcast to `SIMD8<Float>`. Per image: rows are split over cores with
/// ``Parallel/forRanges(_:minChunk:_:)``; each thread takes blocks of 1024 pixels per channel: the first
/// step's branch-free SIMD8 kernel reads the source and writes the destination block, every later
/// step runs in place on that block while it sits in L1 (ragged tails go through a padded scratch block), so memory is read once and written once whatever the number of steps.
/// Per-channel steps (exposure, gamma, white balance, temperature, tone and colour curves) are folded
/// per maximal run: from the first gamma that follows only gains, the rest of the run becomes one
/// ``SeparableLUT`` look-up per channel (log-spaced grid indexed by float bits, linear interpolation,
/// errors measured in tests: ~1e-5 relative, < 1e-4 absolute at curve corners); gains before it (or a
/// run of gains alone) collapse into one multiply per channel; curves not after a gamma run exactly
/// (7 hinges). Cross-channel steps run their SIMD8 kernels (`exp`/`log`/`cosPi` via ``FastMath``
/// polynomials, relative error < 1e-6).
/// Alpha planes are copied unchanged.
public struct Renderer: Sendable {
    public let recipe: Recipe
    let kernels: [BlockKernel]
    static let block = 1024

    public init(_ recipe: Recipe) {
        self.recipe = recipe
        var ks: [BlockKernel] = []
        var run: [RecipeStep] = []
        // A maximal run of per-channel steps: from each gain-then-gamma point on, one table look-up
        // per channel (``SeparableLUT``); leading gains become one gain per channel and a curve not
        // preceded by a gamma runs its exact kernel.
        func gains(_ steps: ArraySlice<RecipeStep>) {
            if steps.isEmpty { return }
            var g = SIMD3<Double>(1, 1, 1)
            for s in steps { g *= Renderer.diagonalGains(s)! }
            ks.append(ChannelGains.blockKernel([g.x, g.y, g.z]))
        }
        func flush() {
            var rest = run[...]
            while !rest.isEmpty {
                if SeparableLUT.canTabulate(Array(rest)) { ks.append(SeparableLUT(Array(rest)).blockKernel); break }
                guard let k = rest.firstIndex(where: { Renderer.diagonalGains($0) == nil }) else { gains(rest); break }
                gains(rest[..<k])
                ks.append(FilterRegistry.blockKernels[rest[k].filter]!(rest[k].values))
                rest = rest[(k + 1)...]
            }
            run = []
        }
        for step in recipe.steps {
            if SeparableLUT.isSeparable(step.filter) { run.append(step); continue }
            flush()
            ks.append(FilterRegistry.blockKernels[step.filter]!(step.values))
        }
        flush()
        kernels = ks
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
        var out = Image(width: image.width, height: image.height, channels: image.channels, colorSpace: image.colorSpace)
        render(image, into: &out)
        return out
    }

    /// Renders `src` into `dst` (same dimensions), reusing `dst`'s storage.
    public func render(_ src: Image, into dst: inout Image) {
        precondition(src.width == dst.width && src.height == dst.height && src.channels == dst.channels, "render: size mismatch")
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

/// Internal renderer step: p' = (g_R R, g_G G, g_B B), the product of consecutive diagonal filters.
enum ChannelGains: Filter {
    static let id = "_gains"
    static let parameters: [ParamSpec] = (0..<3).map { ParamSpec("g\($0)", 0...1e9, identity: 1, mapping: .tanh, "channel gain") }
    static func coefficients<T: CoefficientScalar>(_ p: [T]) -> [T] { p }
    @inline(__always) static func apply<T: FilterScalar>(_ r: inout T, _ g: inout T, _ b: inout T, _ k: UnsafeBufferPointer<T>) {
        r = r * k[0]; g = g * k[1]; b = b * k[2]
    }
}
