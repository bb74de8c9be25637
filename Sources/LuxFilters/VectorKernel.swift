import LuxKernels
import LuxKernelsAVX512

extension BlockLoops {
    /// One step as a loop specialised for its concrete type (the one list of the kernel types the
    /// renderer builds; a call through the existential would run unspecialised generic code).
    static func single(_ k: any VectorKernel) -> BlockKernel {
        switch k {
        case let k as GainsKernel: return loop(k)
        case let k as PowerKernel: return loop(k)
        case let k as CurveKernel: return loop(k)
        case let k as SeparableLUT: return loop(k)
        case let k as SRGBEncodeKernel: return loop(k)
        case let k as SaturationKernel: return loop(k)
        case let k as ContrastKernel: return loop(k)
        case let k as BlackWhiteKernel: return loop(k)
        case let k as FilterKernel<HighlightsShadows>: return loop(k)
        case let k as FilterKernel<Vibrance>: return loop(k)
        default: preconditionFailure("BlockLoops: kernel type \(type(of: k)) missing from BlockLoops.single")
        }
    }

    /// Block kernels for a list of steps, one pass each over an L1-resident block: with `wide`, the
    /// AVX-512 loops of ``WideLoops`` for the kernel types it has (the caller checks the CPU).
    static func blockKernels(_ steps: [any VectorKernel], wide: Bool) -> [BlockKernel] {
        return steps.map { (wide ? Self.wide($0) : nil) ?? single($0) }
    }

    /// The AVX-512 loop (``WideLoops``) of a kernel type that has one.
    static func wide(_ k: any VectorKernel) -> BlockKernel? {
        switch k {
        case let k as GainsKernel: return WideLoops.loop(k)
        case let k as PowerKernel: return WideLoops.loop(k)
        case let k as CurveKernel: return WideLoops.loop(k)
        case let k as SRGBEncodeKernel: return WideLoops.loop(k)
        case let k as SaturationKernel: return WideLoops.loop(k)
        case let k as ContrastKernel: return WideLoops.loop(k)
        case let k as BlackWhiteKernel: return WideLoops.loop(k)
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
