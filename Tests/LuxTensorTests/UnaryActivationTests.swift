import Foundation
import Testing
@testable import LuxTensor

@Suite struct UnaryActivationTests {
    @Test func knownValues() {
        let x = Tensor(shape: [4], data: [-2, -0.5, 0.5, 2])
        #expect(x.relu().data == [0, 0, 0.5, 2])
        #expect(x.leakyReLU(0.2).data == [-0.4, -0.1, 0.5, 2])
        #expect(maxDiff(x.sigmoid().data, x.data.map { 1 / (1 + Foundation.exp(-$0)) }) < 1e-6)
        #expect(maxDiff(x.tanh().data, x.data.map { Foundation.tanh($0) }) < 1e-6)
        #expect(maxDiff(x.softplus().data, x.data.map { Foundation.log(1 + Foundation.exp($0)) }) < 1e-6)
        #expect(maxDiff(x.elu().data, [Foundation.exp(-2) - 1, Foundation.exp(-0.5) - 1, 0.5, 2]) < 1e-6)
        #expect(x.clamp(min: -1, max: 1).data == [-1, -0.5, 0.5, 1])
        #expect(x.abs().data == [2, 0.5, 0.5, 2])
        #expect(Tensor(shape: [1], data: [100]).softplus().data == [100])
    }

    @Test func gradElementary() {
        expectGrad([randomTensor([6], seed: 20)]) { $0[0].exp() }
        expectGrad([randomTensor([6], seed: 21, positive: true)]) { $0[0].log() }
        expectGrad([randomTensor([6], seed: 22, positive: true)]) { $0[0].sqrt() }
        expectGrad([randomTensor([6], seed: 23, positive: true)]) { $0[0].pow(1.7) }
        expectGrad([randomTensor([6], seed: 24)]) { $0[0].pow(2) }
        expectGrad([randomTensor([6], seed: 25)]) { $0[0].pow(3) }
        expectGrad([randomTensor([6], seed: 26, awayFromZero: true)]) { $0[0].abs() }
        expectGrad([randomTensor([8], seed: 27, awayFromZero: true)]) { $0[0].clamp(min: -0.5, max: 0.5) }
    }

    @Test func gradActivations() {
        expectGrad([randomTensor([8], seed: 30, awayFromZero: true)]) { $0[0].relu() }
        expectGrad([randomTensor([8], seed: 31, awayFromZero: true)]) { $0[0].leakyReLU(0.2) }
        expectGrad([randomTensor([8], seed: 32, awayFromZero: true)]) { $0[0].elu(0.7) }
        expectGrad([randomTensor([8], seed: 33)]) { $0[0].tanh() }
        expectGrad([randomTensor([8], seed: 34)]) { $0[0].sigmoid() }
        expectGrad([randomTensor([8], seed: 35)]) { $0[0].softplus() }
    }
}
