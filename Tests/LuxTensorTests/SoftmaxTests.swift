import Foundation
import Testing
@testable import LuxTensor

@Suite struct SoftmaxTests {
    @Test func knownValues() {
        let x = Tensor(shape: [2, 3], data: [1, 2, 3, 1000, 1000, 1000])
        let s = x.softmax(axis: 1)
        let e = [Foundation.exp(Float(1)), Foundation.exp(Float(2)), Foundation.exp(Float(3))]
        let z = e.reduce(0, +)
        let third: Float = 1.0 / 3.0
        let expected: [Float] = e.map { $0 / z } + [third, third, third]
        #expect(maxDiff(s.data, expected) < 1e-6)
        #expect(maxDiff(x.logSoftmax(axis: -1).data, s.data.map { Foundation.log($0) }) < 1e-5)
        let c = Tensor(shape: [2, 2], data: [0, 0, 1, 1]).softmax(axis: 0)
        let a: Float = 1 / (1 + Foundation.exp(Float(1))), b: Float = 1 - a
        #expect(maxDiff(c.data, [a, a, b, b]) < 1e-6)
    }

    @Test func gradSoftmax() {
        expectGrad([randomTensor([2, 3, 4], seed: 100)]) { $0[0].softmax(axis: 1) }
        expectGrad([randomTensor([2, 5], seed: 101)]) { $0[0].softmax(axis: -1) }
        expectGrad([randomTensor([2, 3, 4], seed: 102)]) { $0[0].logSoftmax(axis: 1) }
        expectGrad([randomTensor([3, 4], seed: 103)]) { $0[0].logSoftmax(axis: 0) }
    }
}
