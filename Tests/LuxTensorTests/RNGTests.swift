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

    @Test func matchesReferenceStream() {
        // Seed 0: SplitMix64 state fill, then xoshiro256** outputs, checked against an independent
        // Python implementation of the reference C code.
        var r = RNG(seed: 0)
        #expect([r.next(), r.next(), r.next()] == [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0])
    }

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
