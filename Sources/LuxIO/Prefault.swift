import Dispatch
import LuxImage
#if canImport(Glibc)
import Glibc
#endif

/// First-touch page faults dominate the cost of filling a fresh multi-hundred-megabyte pixel
/// buffer on the VMs Lux runs on (measured: ~0.5 s for 288 MB single-threaded, versus 0.05 s for
/// a second pass). These helpers fault pages in ahead of time, so the work can overlap with
/// decoding on another core.
enum Prefault {
    static let pageSize = 4096

    /// Makes the pages of `[base, base + bytes)` resident and writable: `madvise(MADV_POPULATE_WRITE)`
    /// on Linux 5.14+, otherwise one write per page (the buffer's contents are unspecified after).
    static func populate(_ base: UnsafeMutableRawPointer, bytes: Int) {
        guard bytes > 0 else { return }
        let start = Int(bitPattern: base), end = start + bytes
        let lo = (start + pageSize - 1) & ~(pageSize - 1), hi = end & ~(pageSize - 1)
        #if os(Linux)
        if hi > lo, madvise(UnsafeMutableRawPointer(bitPattern: lo), hi - lo, 23 /* MADV_POPULATE_WRITE */) == 0 {
            return
        }
        #endif
        var p = start
        while p < end {
            UnsafeMutableRawPointer(bitPattern: p)!.storeBytes(of: 0, as: UInt8.self)
            p += pageSize
        }
    }

    /// Runs `work` on the calling thread while other threads fault in `bytes` bytes at `base`, in
    /// chunks that the calling thread also helps with once `work` is done.
    static func overlapping(_ base: UnsafeMutableRawPointer, bytes: Int, chunk: Int = 8 << 20,
                            _ work: () -> Void) {
        if bytes < 2 * chunk || Parallel.threadCount < 2 { work(); return } // not worth a thread
        let chunks = (bytes + chunk - 1) / chunk
        nonisolated(unsafe) let b = base
        withoutActuallyEscaping(work) { work in
            nonisolated(unsafe) let w = work
            DispatchQueue.concurrentPerform(iterations: chunks + 1) { i in
                if i == 0 { w(); return }
                let lo = (i - 1) * chunk
                populate(b + lo, bytes: min(chunk, bytes - lo))
            }
        }
    }
}
