import Testing
@testable import LuxTensor

@Suite struct ReduceShapeTests {
    let x = Tensor(shape: [2, 3], data: [1, 5, 3, 4, 2, 6])

    @Test func reductionValues() {
        #expect(x.sum().item == 21)
        #expect(x.mean().item == 3.5)
        #expect(x.max().item == 6)
        #expect(x.sum(axes: [0]).data == [5, 7, 9] && x.sum(axes: [0]).shape == [3])
        #expect(x.sum(axes: [1], keepDims: true).shape == [2, 1])
        #expect(x.sum(axes: [-1]).data == [9, 12])
        #expect(x.mean(axes: [1]).data == [3, 4])
        #expect(x.max(axes: [1]).data == [5, 6])
        #expect(x.max(axes: [0], keepDims: true).data == [4, 5, 6])
        #expect(x.sum(axes: [0, 1]).shape == [])
    }

    @Test func gradReductions() {
        expectGrad([randomTensor([2, 3, 4], seed: 40)]) { $0[0].sum() }
        expectGrad([randomTensor([2, 3, 4], seed: 41)]) { $0[0].mean() }
        expectGrad([randomTensor([2, 3, 4], seed: 42)]) { $0[0].sum(axes: [1]) }
        expectGrad([randomTensor([2, 3, 4], seed: 43)]) { $0[0].sum(axes: [0, 2], keepDims: true) }
        expectGrad([randomTensor([2, 3, 4], seed: 44)]) { $0[0].mean(axes: [-1]) }
        expectGrad([randomTensor([2, 3, 4], seed: 45)]) { $0[0].max(axes: [1]) }
        expectGrad([randomTensor([2, 3, 4], seed: 46)]) { $0[0].max(axes: [0, 2], keepDims: true) }
        expectGrad([randomTensor([2, 3, 4], seed: 47)]) { $0[0].max() }
    }

    @Test func shapeValues() {
        #expect(x.reshape([3, -1]).shape == [3, 2])
        let p = x.permute([1, 0])
        #expect(p.shape == [3, 2] && p.data == [1, 4, 5, 2, 3, 6])
        let c = Tensor.concat([x, Tensor(shape: [2, 1], data: [9, 8])], axis: 1)
        #expect(c.shape == [2, 4] && c.data == [1, 5, 3, 9, 4, 2, 6, 8])
        let c0 = Tensor.concat([x, x], axis: 0)
        #expect(c0.shape == [4, 3] && Array(c0.data[6...]) == x.data)
        let s = x.slice([1..<2, 0..<2])
        #expect(s.shape == [1, 2] && s.data == [4, 2])
        let t = Tensor(shape: [2, 3, 4], data: (0..<24).map(Float.init)).permute([2, 0, 1])
        #expect(t.shape == [4, 2, 3] && t.data[1] == 4 && t.data[6] == 1)
    }

    @Test func gradShapeOps() {
        expectGrad([randomTensor([2, 3, 4], seed: 50)]) { $0[0].reshape([6, 4]) }
        expectGrad([randomTensor([2, 3, 4, 5], seed: 51)]) { $0[0].permute([0, 2, 3, 1]) }
        expectGrad([randomTensor([2, 3, 4], seed: 52), randomTensor([2, 2, 4], seed: 53)]) {
            Tensor.concat([$0[0], $0[1]], axis: 1)
        }
        expectGrad([randomTensor([2, 3, 4], seed: 54)]) { $0[0].slice([0..<2, 1..<3, 1..<4]) }
        expectGrad([randomTensor([3, 4], seed: 55)]) { Tensor.concat([$0[0].slice([0..<1]), $0[0]], axis: 0) }
    }
}
