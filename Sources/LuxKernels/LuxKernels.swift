/// The renderer's register kernels (8 pixels per call, SIMD8<Float>) and their block loop, below
/// LuxFilters so that a second module (LuxKernelsAVX512) can compile the same kernels for AVX-512:
/// every kernel's `apply` and ``BlockLoops/loop(_:)`` are `@inlinable`, so the module that
/// specialises them decides the instruction set. The kernels' `apply` functions are `@_transparent`
/// (always inlined, also in debug builds): with `@inline(__always)` the optimiser still left
/// `PowerKernel.apply` as a call per 8 pixels inside the AVX-512 sRGB loop.
///
/// Measured and rejected with the AVX-512 loops (`lux-bench filters`, 2026-12-05): the six kernels
/// of the benchmark recipe fused into one loop (no calls left, 32 registers, no spills) took 3.8-6.0
/// ns/pixel on the tile against 2.4-2.7 unfused: one iteration's ~250 instructions form one long
/// dependency chain, so the out-of-order window holds barely more than one iteration, while a
/// single step's short loop overlaps many; non-temporal stores from the last step (the block
/// rendered in an L1 scratch, so the destination is written once without a read for ownership):
/// render 34.4-39.9 ms against 33.5-37.3 ms with plain stores.
public enum LuxKernels {}
