import Testing
@testable import LuxTensor

@Suite struct RNGTests {
    @Test func reproducibleForASeed() {
        var a = RNG(seed: 42), b = RNG(seed: 42), c = RNG(seed: 43)
        let xa = (0..<100).map { _ in a.next() }, xb = (0..<100).map { _ in b.next() }
        #expect(xa == xb)
        #expect(xa != (0..<100).map { _ in c.next() })
        var n1 = RNG(seed: 7), n2 = RNG(seed: 7)
        #expect(n1.normalArray(33).map(\.bitPattern) == n2.normalArray(33).map(\.bitPattern))
    }

    @Test func knownFirstOutputs() {
        // SplitMix64(0) first output is 0xE220A8397B1DCDAF (reference value of the algorithm).
        var r = RNG(seed: 0)
        let first = r.next()
        var again = RNG(seed: 0)
        #expect(again.next() == first)
        // xoshiro256** of that state: pinned so any change to the stream is caught.
        #expect(first == RNGTests.pinnedFirst)
    }
    static let pinnedFirst: UInt64 = 0x99EC5F36CB75F2B4

    @Test func distributions() {
        var r = RNG(seed: 9)
        let u = r.uniformArray(100_000)
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
        let um = u.reduce(0, +) / Float(u.count)
        #expect(Swift.abs(um - 0.5) < 0.01)
        let z = r.normalArray(100_000)
        let m = z.reduce(0, +) / Float(z.count)
        let v = z.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Float(z.count)
        #expect(Swift.abs(m) < 0.02 && Swift.abs(v - 1) < 0.02)
    }
}
