#if canImport(Glibc)
import Glibc
#endif

/// Process-wide allocator tuning for image-sized buffers; call ``configure()`` once at start in
/// programs that handle several images (the `lux` CLI, `lux-bench`, a server).
///
/// Why: glibc serves requests above `M_MMAP_THRESHOLD` (at most 32 MiB) with a fresh `mmap` and
/// unmaps them on `free`. A 24 MP image is a 288 MB Float32 buffer, so every image pays ~70 000
/// first-touch page faults (measured ~0.5 s of kernel time on one thread, versus 0.05 s to write
/// the same pages again). With `M_MMAP_MAX = 0` large blocks come from the `brk` heap instead,
/// and with a large `M_TRIM_THRESHOLD` a freed image stays mapped and is reused by the next one.
///
/// Scope: blocks allocated on the main thread (glibc's main arena: where the CLI and lux-bench
/// decode) at any size; on other threads up to ~64 MiB (a thread arena's heap size), larger ones
/// are still mapped per allocation by glibc. Measured with `lux-bench codecs` (24 MP JPEG round
/// trip): ~83 000 minor faults and 0.50 s CPU per image untuned, 0 faults and 0.31 s CPU from the
/// second image on.
///
/// Cost: up to `retainBytes` of freed memory stays resident in the process after large images
/// are released (it is reused, not leaked). The first image of a process is not faster.
/// No effect on other C libraries (musl, Darwin); idempotent.
public enum LuxMemory {
    /// glibc `mallopt` parameters (from `<malloc.h>`, which Swift's Glibc module does not import).
    private static let M_TRIM_THRESHOLD: Int32 = -1, M_TOP_PAD: Int32 = -2, M_MMAP_MAX: Int32 = -4

    /// Applies the tuning; returns `false` where `mallopt` is unavailable or refused a setting.
    /// - Parameter retainBytes: freed memory at the top of the heap kept mapped before glibc trims
    ///   it (default 1 GiB: three 24 MP Float32 images); clamped to 16 MiB ... 2 GiB.
    @discardableResult
    public static func configure(retainBytes: Int = 1 << 30) -> Bool {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let sym = dlsym(handle, "mallopt") else { return false }
        let mallopt = unsafeBitCast(sym, to: Mallopt.self)
        let keep = Int32(clamping: min(max(retainBytes, 16 << 20), Int(Int32.max)))
        let ok = mallopt(M_MMAP_MAX, 0) == 1        // large blocks from the heap, not mmap
            && mallopt(M_TRIM_THRESHOLD, keep) == 1 // keep freed images mapped for reuse
            && mallopt(M_TOP_PAD, 64 << 20) == 1    // grow the heap in 64 MiB steps (fewer brk calls)
        return ok
        #else
        return false
        #endif
    }
}
