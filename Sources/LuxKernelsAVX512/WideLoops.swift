import CLuxSIMD
#if canImport(Glibc)
import Glibc
#endif
import LuxKernels

/// The renderer's block loops compiled for AVX-512 (this module alone is built with
/// `-target-cpu skylake-avx512`): the same kernels (``LuxKernels``, all `@inlinable`), specialised
/// here, so the compiler has 32 vector registers for the kernels' tables and constants instead of
/// AVX2's 16 (the gamma kernel's 14 tables and constants otherwise reload from the stack every 8
/// pixels), and the gamma's 16-entry octave table is read with one `vpermt2ps` (``TwoTableLookup``)
/// instead of two `vpermps` and a blend. The vectors stay 8 lanes wide: same results bit for bit as
/// the AVX2 loops (tests).
///
/// Only called when ``available`` (CPUID and the OS's saved state say AVX-512 F/CD/BW/DQ/VL);
/// otherwise the renderer uses LuxKernels' AVX2 loops. The kernels are wrapped in ``Wide`` so that
/// every specialisation made here has a name of its own and cannot be merged by the linker with the
/// AVX2 one of the same kernel.
public enum WideLoops {
    /// Whether this machine can run the loops of this module (and `LUX_NO_AVX512` is not set: a way to
    /// fall back to the AVX2 loops without rebuilding, e.g. to compare or to rule them out).
    public static let available: Bool = lux_cpu_has_avx512() != 0 && getenv("LUX_NO_AVX512") == nil

    // One function per kernel type, no existentials: this module then defines no runtime helpers
    // (existential copies and the like) that the linker could share with the AVX2 modules
    // (`scripts/check-avx512-isolation.sh` checks its object file).
    public static func loop(_ k: GainsKernel) -> BlockKernel { BlockLoops.loop(Wide(k)) }
    public static func loop(_ k: PowerKernel) -> BlockKernel { BlockLoops.loop(WideOctave(k)) }
    public static func loop(_ k: CurveKernel) -> BlockKernel { BlockLoops.loop(Wide(k)) }
    public static func loop(_ k: SRGBEncodeKernel) -> BlockKernel { BlockLoops.loop(WideOctave(k)) }
    public static func loop(_ k: SaturationKernel) -> BlockKernel { BlockLoops.loop(Wide(k)) }
    public static func loop(_ k: ContrastKernel) -> BlockKernel { BlockLoops.loop(Wide(k)) }
    public static func loop(_ k: BlackWhiteKernel) -> BlockKernel { BlockLoops.loop(Wide(k)) }
    /// A gamma and the curve after it in one loop.
    public static func loop(_ a: PowerKernel, _ b: CurveKernel) -> BlockKernel { BlockLoops.loop(KernelPair(WideOctave(a), Wide(b))) }
    /// A curve and the black & white after it in one loop.
    public static func loop(_ a: CurveKernel, _ b: BlackWhiteKernel) -> BlockKernel { BlockLoops.loop(Wide(KernelPair(a, b))) }
}

/// A kernel specialised in this module (see ``WideLoops``).
struct Wide<K: VectorKernel>: VectorKernel {
    let k: K
    init(_ k: K) { self.k = k }
    static var interleave: Bool { K.interleave }
    @_transparent func apply(_ r: inout V, _ g: inout V, _ b: inout V) { k.apply(&r, &g, &b) }
}

/// AVX-512 VL: the octave table's two registers read by one `vpermt2ps` (index bit 3 picks the register).
enum TwoTableLookup: OctaveLookup {
    @inline(__always) static func lookup(_ low: SIMD8<Float>, _ high: SIMD8<Float>, _ index: SIMD8<Int32>) -> SIMD8<Float> {
        lux_permute2x8(low, high, index)
    }
}

/// A gamma kernel, or the sRGB encoding built on one, with its octave factor read by ``TwoTableLookup``.
struct WideOctave<K: OctaveKernel>: VectorKernel {
    let k: K
    init(_ k: K) { self.k = k }
    @_transparent func apply(_ r: inout V, _ g: inout V, _ b: inout V) { k.apply(&r, &g, &b, TwoTableLookup.self) }
}
