// AVX2 instructions that Swift's SIMD types cannot express, exposed as inline functions over
// Clang extended vectors (imported into Swift as SIMD8<Float> / SIMD8<Int32>). Only instruction
// access lives here; the algorithms that use them are Swift (LuxFilters).
#ifndef LUX_SIMD_H
#define LUX_SIMD_H

typedef float lux_f8 __attribute__((ext_vector_type(8)));
typedef int lux_i8 __attribute__((ext_vector_type(8)));

#if defined(__x86_64__)
#include <immintrin.h>
#include <cpuid.h>

/// Whether this CPU and OS run AVX-512 F, CD, BW, DQ and VL code (what LuxKernelsAVX512 is compiled
/// for, -target-cpu skylake-avx512): CPUID leaf 7 feature bits, and XCR0 saying the OS saves the
/// opmask and all 32 zmm registers.
static inline int lux_cpu_has_avx512(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return 0;   // OSXSAVE
    unsigned lo, hi;
    __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0xE6) != 0xE6) return 0;                                    // SSE, AVX, opmask, zmm 0-15 high, zmm 16-31
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    unsigned need = (1u << 16) | (1u << 17) | (1u << 28) | (1u << 30) | (1u << 31);   // F, DQ, CD, BW, VL
    return (b & need) == need;
}
#define LUX_AVX2 __attribute__((always_inline, target("avx2,fma")))

/// vpermps: out[i] = table[index[i] & 7]. An 8-entry table look-up in one instruction.
static inline LUX_AVX2 lux_f8 lux_permute8(lux_f8 table, lux_i8 index) {
    return (lux_f8)_mm256_permutevar8x32_ps((__m256)table, (__m256i)index);
}

/// vpermt2ps (AVX-512 VL): out[i] = (index[i] & 8 ? hi : lo)[index[i] & 7], a 16-entry table in two
/// registers in one instruction. Only for code compiled for AVX-512 (LuxKernelsAVX512), where the
/// optimiser inlines it; not always_inline, so that a debug build (Haswell code) calls it instead.
static inline __attribute__((target("avx512f,avx512vl"))) lux_f8 lux_permute2x8(lux_f8 lo, lux_f8 hi, lux_i8 index) {
    return (lux_f8)_mm256_permutex2var_ps((__m256)lo, (__m256i)index, (__m256)hi);
}

/// vblendvps: out[i] = (mask[i] < 0 as a signed integer, i.e. its top bit set) ? b[i] : a[i].
static inline LUX_AVX2 lux_f8 lux_select_sign8(lux_i8 mask, lux_f8 a, lux_f8 b) {
    return (lux_f8)_mm256_blendv_ps((__m256)a, (__m256)b, (__m256)mask);
}

/// vcvttps2dq: truncation toward zero; NaN and out-of-range lanes give INT32_MIN (no trap).
static inline LUX_AVX2 lux_i8 lux_truncate8(lux_f8 x) {
    return (lux_i8)_mm256_cvttps_epi32((__m256)x);
}

/// vptest: whether any bit of x is set (Swift's `any(mask)` is an out-of-line reduction call).
static inline LUX_AVX2 int lux_nonzero8(lux_i8 x) {
    return !_mm256_testz_si256((__m256i)x, (__m256i)x);
}

#else
static inline int lux_cpu_has_avx512(void) { return 0; }
static inline lux_f8 lux_select_sign8(lux_i8 mask, lux_f8 a, lux_f8 b) {
    lux_f8 r;
    for (int i = 0; i < 8; i++) r[i] = mask[i] < 0 ? b[i] : a[i];
    return r;
}
static inline int lux_nonzero8(lux_i8 x) {
    int r = 0;
    for (int i = 0; i < 8; i++) r |= x[i];
    return r != 0;
}
static inline lux_f8 lux_permute8(lux_f8 table, lux_i8 index) {
    lux_f8 r;
    for (int i = 0; i < 8; i++) r[i] = table[index[i] & 7];
    return r;
}
static inline lux_i8 lux_truncate8(lux_f8 x) {
    lux_i8 r;
    for (int i = 0; i < 8; i++) r[i] = (x[i] == x[i] && x[i] > -2147483648.0f && x[i] < 2147483648.0f) ? (int)x[i] : (int)0x80000000u;
    return r;
}
#endif

#endif
