/// One renderer step (a filter, or a folded run of per-channel filters) on eight pixels held in
/// registers; ``BlockLoops`` turns it into a block loop specialised for its concrete type.
///
/// Fusing steps: on 2026-12-04 every pair fused into one loop measured slower (4.1-5.2 ns/pixel against
/// 3.2-4.2), put down to spills; on 2026-12-05 the disassembly showed the real cause: the optimiser had
/// left some kernels' `apply` as calls inside the fused loops. With `apply` `@_transparent` two pairs
/// pay (``KernelPair``, chosen in LuxFilters' `BlockLoops.pair`); longer chains do not (see ``LuxKernels``).
public protocol VectorKernel: Sendable {
    typealias V = SIMD8<Float>
    func apply(_ r: inout V, _ g: inout V, _ b: inout V)
    /// Whether the loop runs two vectors per iteration (kernels with few constants and long chains;
    /// kernels that hold many tables in registers would spill).
    static var interleave: Bool { get }
}

extension VectorKernel {
    @inlinable public static var interleave: Bool { false }
}

/// Block loops specialised per kernel type.
public enum BlockLoops {
    /// The block loop of one step, specialised for its type.
    @inlinable public static func loop<K: VectorKernel>(_ k: K) -> BlockKernel {
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
}

/// Reads `n` (a multiple of 8) pixels from three source channel pointers and writes them, filtered,
/// to three destination pointers (which may equal the sources).
public struct BlockKernel: @unchecked Sendable {
    public typealias P = UnsafeMutablePointer<Float>
    public let run: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, P, P, P, Int) -> Void
    @inlinable public init(_ run: @escaping (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, P, P, P, Int) -> Void) {
        self.run = run
    }
}

/// p' = (g_R R, g_G G, g_B B): the product of consecutive diagonal filters (exposure, white
/// balance, temperature/tint) in a run.
public struct GainsKernel: VectorKernel {
    @usableFromInline let gr: V, gg: V, gb: V
    public init(_ g: SIMD3<Double>) {
        gr = V(repeating: Float(g.x)); gg = V(repeating: Float(g.y)); gb = V(repeating: Float(g.z))
    }
    @_transparent public func apply(_ r: inout V, _ g: inout V, _ b: inout V) { r *= gr; g *= gg; b *= gb }
}

/// Two steps in one loop: `b` works on `a`'s result in registers, saving a load and a store per
/// channel and a loop (LuxFilters' `BlockLoops.pair` chooses the pairs).
public struct KernelPair<A: VectorKernel, B: VectorKernel>: VectorKernel {
    @usableFromInline let a: A, b: B
    @inlinable public init(_ a: A, _ b: B) { self.a = a; self.b = b }
    @inlinable public static var interleave: Bool { A.interleave && B.interleave }
    @_transparent public func apply(_ r: inout V, _ g: inout V, _ bl: inout V) {
        a.apply(&r, &g, &bl)
        b.apply(&r, &g, &bl)
    }
}
