/// The renderer's register kernels (8 pixels per call, SIMD8<Float>) and their block loop, below
/// LuxFilters so that a second module (LuxKernelsAVX512) can compile the same kernels for AVX-512:
/// every kernel's `apply` and ``BlockLoops/loop(_:)`` are `@inlinable`, so the module that
/// specialises them decides the instruction set.
public enum LuxKernels {}
