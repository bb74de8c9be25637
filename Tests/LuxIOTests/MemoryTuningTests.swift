#if canImport(Glibc)
import Glibc
import LuxIO
import Testing

/// ``LuxMemory/configure()`` must make glibc serve image-sized blocks from the heap (reusable
/// after `free`) instead of a fresh `mmap` per image.
@Suite struct MemoryTuningTests {
    /// glibc marks a chunk obtained by `mmap` with bit 1 (`IS_MMAPPED`) of the size word stored
    /// just before the pointer it returns.
    static func isMmapped(_ p: UnsafeMutableRawPointer) -> Bool {
        (p - MemoryLayout<Int>.size).load(as: Int.self) & 2 != 0
    }

    /// 40 MiB is above glibc's largest mmap threshold (32 MiB), so untuned glibc always maps it
    /// afresh; tuned, it comes from the arena's heap (a thread arena holds blocks up to ~64 MiB;
    /// larger ones are heap blocks only in the main arena, where lux-bench and the CLI decode).
    @Test func largeBlocksComeFromTheReusableHeap() throws {
        #expect(LuxMemory.configure())
        #expect(LuxMemory.configure(retainBytes: 64 << 20)) // idempotent
        defer { LuxMemory.configure() } // restore the default retain size for other tests
        let bytes = 40 << 20
        for _ in 0..<2 {
            let p = try #require(malloc(bytes))
            defer { free(p) }
            #expect(!Self.isMmapped(p))
            p.storeBytes(of: 7, toByteOffset: bytes - 1, as: UInt8.self)
            #expect(p.load(fromByteOffset: bytes - 1, as: UInt8.self) == 7)
        }
    }
}
#endif
