import LuxKernels
import LuxKernelsAVX512

extension BlockLoops {
    /// One step as a loop specialised for its concrete type (the one list of the kernel types the
    /// renderer builds; a call through the existential would run unspecialised generic code): with
    /// `wide`, the AVX-512 loop of ``WideLoops`` for the kernel types it has (the caller checks the CPU).
    static func single(_ k: any VectorKernel, wide: Bool) -> BlockKernel {
        switch k {
        case let k as GainsKernel: return wide ? WideLoops.loop(k) : loop(k)
        case let k as PowerKernel: return wide ? WideLoops.loop(k) : loop(k)
        case let k as CurveKernel: return wide ? WideLoops.loop(k) : loop(k)
        case let k as SeparableLUT: return loop(k)
        case let k as SRGBEncodeKernel: return wide ? WideLoops.loop(k) : loop(k)
        case let k as SaturationKernel: return wide ? WideLoops.loop(k) : loop(k)
        case let k as ContrastKernel: return wide ? WideLoops.loop(k) : loop(k)
        case let k as BlackWhiteKernel: return wide ? WideLoops.loop(k) : loop(k)
        case let k as FilterKernel<HighlightsShadows>: return loop(k)
        case let k as FilterKernel<Vibrance>: return loop(k)
        default: preconditionFailure("BlockLoops: kernel type \(type(of: k)) missing from BlockLoops.single")
        }
    }

    /// Block kernels for a list of steps, one pass each over an L1-resident block, except the pairs
    /// of ``pair(_:_:wide:)`` (when `pairs`); `wide` as in ``single(_:wide:)``.
    static func blockKernels(_ steps: [any VectorKernel], wide: Bool, pairs: Bool = true) -> [BlockKernel] {
        var out: [BlockKernel] = [], i = 0
        while i < steps.count {
            if pairs, i + 1 < steps.count, let p = pair(steps[i], steps[i + 1], wide: wide) { out.append(p); i += 2; continue }
            out.append(single(steps[i], wide: wide))
            i += 1
        }
        return out
    }

    /// One loop for two consecutive steps where that measured faster (`lux-bench filters`,
    /// 2026-12-05, benchmark recipe, render median of 9, runs alternated): a gamma and the curve after
    /// it, a curve and the black & white after it: AVX-512 loops 30.0-33.1 ms against 36.0-38.1 ms
    /// one loop per step, AVX2 loops 32.2-35.7 against 34.8-41.7. Measured and not fused:
    /// saturation + contrast (tile 2.52-2.74 against 2.46-2.49 ns/pixel), contrast + curve
    /// (2.71-2.77), curve + saturation (2.51-2.54).
    static func pair(_ x: any VectorKernel, _ y: any VectorKernel, wide: Bool) -> BlockKernel? {
        switch (x, y) {
        case let (a as PowerKernel, b as CurveKernel): return wide ? WideLoops.loop(a, b) : loop(KernelPair(a, b))
        case let (a as CurveKernel, b as BlackWhiteKernel): return wide ? WideLoops.loop(a, b) : loop(KernelPair(a, b))
        default: return nil
        }
    }
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
