import Testing
@testable import LuxTensor

@Suite struct DropoutTests {
    @Test func trainMasksAndScalesEvalIsIdentity() {
        let x = Tensor(repeating: 1, shape: [10_000])
        var rng = RNG(seed: 3)
        let y = x.dropout(0.3, training: true, rng: &rng)
        let zeros = y.data.filter { $0 == 0 }.count
        #expect(Swift.abs(Float(zeros) / 10_000 - 0.3) < 0.02)
        #expect(y.data.allSatisfy { $0 == 0 || Swift.abs($0 - 1 / 0.7) < 1e-6 })
        var rng2 = RNG(seed: 3)
        #expect(x.dropout(0.3, training: true, rng: &rng2).data == y.data)
        let d = Dropout(0.5, seed: 1)
        d.training = false
        #expect(d(x).data == x.data)
    }

    @Test func gradDropout() {
        // Same seed on every evaluation, so the mask is fixed across finite differences.
        expectGrad([randomTensor([12], seed: 90)]) { xs in
            var rng = RNG(seed: 11)
            return xs[0].dropout(0.4, training: true, rng: &rng)
        }
    }
}
