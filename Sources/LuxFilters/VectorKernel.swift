/// One renderer step (a filter, or a folded run of per-channel filters) on eight pixels held in
/// registers; ``BlockLoops`` turns it into a block loop specialised for its concrete type.
///
/// Measured and rejected (`lux-bench filters`, 2026-12-04, three interleaved runs each): fusing
/// consecutive steps in pairs into one loop (the second step reading the first's result from
/// registers, not L1) made the 8-step recipe slower: all pairs 4.1-5.2 ns/pixel, pairs of the light
/// kernels only (not pow or table) 4.1-4.7, against 3.2-4.2 unfused: the pairs' constants (curve
/// tables, broadcast coefficients) no longer fit the 16 AVX2 registers and spill inside the loop,
/// which costs more than the L1 round trip saved.
protocol VectorKernel: Sendable {
    typealias V = SIMD8<Float>
    func apply(_ r: inout V, _ g: inout V, _ b: inout V)
    /// Whether the loop runs two vectors per iteration (kernels with few constants and long chains;
    /// kernels that hold many tables in registers would spill).
    static var interleave: Bool { get }
}

extension VectorKernel {
    static var interleave: Bool { false }
}

/// Block loops specialised per kernel type.
enum BlockLoops {
    /// The block loop of one step, specialised for its type.
    static func loop<K: VectorKernel>(_ k: K) -> BlockKernel {
        BlockKernel { sr, sg, sb, dr, dg, db, n in
            // Two independent vectors per iteration: the kernels are chains of dependent
            // multiply-adds (pow, cosPi, division), and two interleaved chains keep the pipes busy.
            var i = 0
            while K.interleave && i + 16 <= n {
                var r = UnsafeRawPointer(sr + i).loadUnaligned(as: SIMD8<Float>.self)
                var g = UnsafeRawPointer(sg + i).loadUnaligned(as: SIMD8<Float>.self)
                var b = UnsafeRawPointer(sb + i).loadUnaligned(as: SIMD8<Float>.self)
                var r2 = UnsafeRawPointer(sr + i + 8).loadUnaligned(as: SIMD8<Float>.self)
                var g2 = UnsafeRawPointer(sg + i + 8).loadUnaligned(as: SIMD8<Float>.self)
                var b2 = UnsafeRawPointer(sb + i + 8).loadUnaligned(as: SIMD8<Float>.self)
                k.apply(&r, &g, &b)
                k.apply(&r2, &g2, &b2)
                UnsafeMutableRawPointer(dr + i).storeBytes(of: r, as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(dg + i).storeBytes(of: g, as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(db + i).storeBytes(of: b, as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(dr + i + 8).storeBytes(of: r2, as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(dg + i + 8).storeBytes(of: g2, as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(db + i + 8).storeBytes(of: b2, as: SIMD8<Float>.self)
                i += 16
            }
            while i < n {
                var r = UnsafeRawPointer(sr + i).loadUnaligned(as: SIMD8<Float>.self)
                var g = UnsafeRawPointer(sg + i).loadUnaligned(as: SIMD8<Float>.self)
                var b = UnsafeRawPointer(sb + i).loadUnaligned(as: SIMD8<Float>.self)
                k.apply(&r, &g, &b)
                UnsafeMutableRawPointer(dr + i).storeBytes(of: r, as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(dg + i).storeBytes(of: g, as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(db + i).storeBytes(of: b, as: SIMD8<Float>.self)
                i += 8
            }
        }
    }

    /// One step as a loop specialised for its concrete type (the one list of the kernel types the
    /// renderer builds; a call through the existential would run unspecialised generic code).
    static func single(_ k: any VectorKernel) -> BlockKernel {
        switch k {
        case let k as GainsKernel: return loop(k)
        case let k as PowerKernel: return loop(k)
        case let k as CurveKernel: return loop(k)
        case let k as SeparableLUT: return loop(k)
        case let k as SRGBEncodeKernel: return loop(k)
        case let k as FilterKernel<Saturation>: return loop(k)
        case let k as ContrastKernel: return loop(k)
        case let k as BlackWhiteKernel: return loop(k)
        case let k as FilterKernel<HighlightsShadows>: return loop(k)
        case let k as FilterKernel<Vibrance>: return loop(k)
        default: preconditionFailure("BlockLoops: kernel type \(type(of: k)) missing from BlockLoops.single")
        }
    }

    /// Block kernels for a list of steps, one pass each over an L1-resident block.
    static func blockKernels(_ steps: [any VectorKernel]) -> [BlockKernel] { steps.map(single) }
}

/// p' = (g_R R, g_G G, g_B B): the product of consecutive diagonal filters (exposure, white
/// balance, temperature/tint) in a run.
struct GainsKernel: VectorKernel {
    let gr: V, gg: V, gb: V
    init(_ g: SIMD3<Double>) {
        gr = V(repeating: Float(g.x)); gg = V(repeating: Float(g.y)); gb = V(repeating: Float(g.z))
    }
    @inline(__always) func apply(_ r: inout V, _ g: inout V, _ b: inout V) { r *= gr; g *= gg; b *= gb }
}

/// A filter's own per-pixel formula (``Filter/apply(_:_:_:_:)`` on SIMD8 lanes) with its coefficients
/// computed once and broadcast.
struct FilterKernel<F: Filter>: VectorKernel, @unchecked Sendable {
    static var interleave: Bool { true }
    /// Owns the broadcast coefficients; the kernel reads them through `k` without reference counting.
    let storage: VectorBuffer
    let k: UnsafeBufferPointer<V>
    init(_ params: [Double]) {
        let c = F.coefficients(params)
        storage = VectorBuffer(count: c.count)
        for (i, v) in c.enumerated() { storage.pointer[i] = V(repeating: Float(v)) }
        k = UnsafeBufferPointer(start: storage.pointer, count: c.count)
    }
    @inline(__always) func apply(_ r: inout V, _ g: inout V, _ b: inout V) { F.apply(&r, &g, &b, k) }
}

/// Kernel constants in memory that no array owns, so that the pixel loop reads them through a plain
/// pointer (no retain/release or bounds checks per 8 pixels).
final class VectorBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<SIMD8<Float>>
    init(count: Int) {
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(repeating: SIMD8(), count: max(1, count))
    }
    deinit { pointer.deallocate() }
}
