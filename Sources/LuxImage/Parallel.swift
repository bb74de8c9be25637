import Dispatch

/// Splits work over the machine's cores. Pixel loops call this with a row range per chunk; the
/// chunk count is bounded so tiny images stay on one thread.
public enum Parallel {
    /// Number of worker threads used for pixel loops (all active cores).
    public static let threadCount = max(1, ProcessInfoCores.active)

    /// Calls `body(range)` for disjoint, contiguous ranges covering `0..<count`, in parallel.
    /// `minChunk` is the smallest range worth a thread (rows, or elements).
    public static func forRanges(_ count: Int, minChunk: Int = 16, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(threadCount * 4, max(1, count / max(1, minChunk)))
        if chunks <= 1 { body(0..<count); return }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let b = body
            DispatchQueue.concurrentPerform(iterations: chunks) { i in
                let lo = count * i / chunks, hi = count * (i + 1) / chunks
                if lo < hi { b(lo..<hi) }
            }
        }
    }
}

/// Active processor count without importing Foundation into every hot file.
enum ProcessInfoCores {
    static var active: Int {
        #if canImport(Glibc)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return 1
        #endif
    }
}
#if canImport(Glibc)
import Glibc
#endif
