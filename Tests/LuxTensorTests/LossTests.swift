import Foundation
import Testing
@testable import LuxTensor

@Suite struct LossTests {
    let p = Tensor(shape: [2, 2], data: [1, 2, 3, 4])
    let t = Tensor(shape: [2, 2], data: [1.5, 2, 0, 4.25])

    @Test func knownValues() {
        #expect(Swift.abs(Losses.l1(p, t).item - (0.5 + 0 + 3 + 0.25) / 4) < 1e-6)
        #expect(Swift.abs(Losses.mse(p, t).item - (0.25 + 0 + 9 + 0.0625) / 4) < 1e-6)
        // δ = 1: ½·0.25, 0, 1·(3 − 0.5), ½·0.0625
        #expect(Swift.abs(Losses.huber(p, t, delta: 1).item - (0.125 + 0 + 2.5 + 0.03125) / 4) < 1e-6)
        let real = Tensor(shape: [3], data: [1, 2, 3]), fake = Tensor(shape: [2], data: [-1, 0])
        #expect(Swift.abs(Losses.wganCritic(real: real, fake: fake).item - (-0.5 - 2)) < 1e-6)
        #expect(Swift.abs(Losses.wganGenerator(fake: fake).item - 0.5) < 1e-6)
    }

    @Test func klDivergenceKnownValue() {
        let pp = Tensor(shape: [2, 2], data: [0.5, 0.5, 1, 0])
        let qq = Tensor(shape: [2, 2], data: [0.25, 0.75, 0.5, 0.5])
        let row0 = 0.5 * Foundation.log(0.5 / 0.25) + 0.5 * Foundation.log(0.5 / 0.75)
        let row1 = 1 * Foundation.log(1 / 0.5)
        #expect(Swift.abs(Double(Losses.klDivergence(pp, qq).item) - (row0 + row1) / 2) < 1e-5)
        #expect(Swift.abs(Losses.klDivergence(qq, qq).item) < 1e-6)
    }

    @Test func crossEntropyKnownValue() {
        let logits = Tensor(shape: [2, 3], data: [1, 2, 3, 0, 0, 0])
        let ce = Losses.crossEntropy(logits, labels: [2, 1])
        let l0: Double = -(3 - Foundation.log(Foundation.exp(1.0) + Foundation.exp(2.0) + Foundation.exp(3.0)))
        let l1 = Foundation.log(3.0)
        #expect(Swift.abs(Double(ce.item) - (l0 + l1) / 2) < 1e-5)
    }

    @Test func gradLosses() {
        let a = { randomTensor([2, 3], seed: 60) }, b = { randomTensor([2, 3], seed: 61) }
        expectGrad([a(), b()]) { Losses.l1($0[0], $0[1]) }
        expectGrad([a(), b()]) { Losses.mse($0[0], $0[1]) }
        expectGrad([a(), b()]) { Losses.huber($0[0], $0[1], delta: 0.5) }
        expectGrad([a(), b()]) { Losses.wganCritic(real: $0[0], fake: $0[1]) }
        expectGrad([a()]) { Losses.wganGenerator(fake: $0[0]) }
        expectGrad([randomTensor([3, 4], seed: 62)]) { Losses.crossEntropy($0[0], labels: [0, 3, 1]) }
    }

    @Test func gradKL() {
        let p = randomTensor([2, 4], seed: 63).softmax(axis: 1).detached()
        let q = randomTensor([2, 4], seed: 64).softmax(axis: 1).detached()
        expectGrad([p, q]) { Losses.klDivergence($0[0], $0[1]) }
        // Through a softmax, as used in training.
        expectGrad([randomTensor([2, 4], seed: 65)]) { Losses.klDivergence(p, $0[0].softmax(axis: 1)) }
    }
}
