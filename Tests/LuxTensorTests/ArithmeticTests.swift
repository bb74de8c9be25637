import Testing
@testable import LuxTensor

@Suite struct ArithmeticTests {
    @Test func broadcastShapesAndValues() {
        let a = Tensor(shape: [2, 3, 4], data: (0..<24).map(Float.init))
        let b = Tensor(shape: [3, 1], data: [100, 200, 300])
        let c = a + b
        #expect(c.shape == [2, 3, 4])
        #expect(c.data[0] == 100 && c.data[5] == 205 && c.data[23] == 323)
        let s = Tensor(shape: [1], data: [2]) * Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        #expect(s.shape == [2, 3] && s.data == [2, 4, 6, 8, 10, 12])
    }

    @Test func unbroadcastSumsGradient() {
        let a = Tensor(zeros: [2, 3, 4], requiresGrad: true)
        let b = Tensor(zeros: [3, 1], requiresGrad: true)
        (a + b).sum().backward()
        #expect(b.grad! == [8, 8, 8])
        #expect(a.grad! == [Float](repeating: 1, count: 24))
    }

    @Test func gradAddSubSameShape() {
        expectGrad([randomTensor([3, 4], seed: 1), randomTensor([3, 4], seed: 2)]) { $0[0] + $0[1] }
        expectGrad([randomTensor([3, 4], seed: 1), randomTensor([3, 4], seed: 2)]) { $0[0] - $0[1] }
    }

    @Test func gradBroadcastAdd() {
        expectGrad([randomTensor([2, 3, 4], seed: 3), randomTensor([3, 1], seed: 4)]) { $0[0] + $0[1] }
        expectGrad([randomTensor([3, 1], seed: 4), randomTensor([2, 3, 4], seed: 3)]) { $0[0] - $0[1] }
    }

    @Test func gradBroadcastMul() {
        expectGrad([randomTensor([1], seed: 5), randomTensor([2, 3], seed: 6)]) { $0[0] * $0[1] }
        expectGrad([randomTensor([2, 3, 4], seed: 7), randomTensor([3, 1], seed: 8)]) { $0[0] * $0[1] }
        expectGrad([randomTensor([2, 1, 4], seed: 7), randomTensor([3, 1], seed: 8)]) { $0[0] * $0[1] }
    }

    @Test func gradDiv() {
        expectGrad([randomTensor([2, 3], seed: 9), randomTensor([2, 3], seed: 10, positive: true)]) { $0[0] / $0[1] }
        expectGrad([randomTensor([2, 3, 4], seed: 11), randomTensor([3, 1], seed: 12, positive: true)]) { $0[0] / $0[1] }
    }

    @Test func gradScalarOps() {
        expectGrad([randomTensor([5], seed: 13)]) { ($0[0] + 2) * 3 - 1 }
        expectGrad([randomTensor([5], seed: 14)]) { 1 - $0[0] / 4 }
        expectGrad([randomTensor([5], seed: 15, positive: true)]) { 2 / $0[0] }
        expectGrad([randomTensor([5], seed: 16)]) { -$0[0] }
    }

    @Test func largeTensorsUseParallelPathCorrectly() {
        let n = 100_001
        let a = Tensor(shape: [n], data: (0..<n).map { Float($0 % 97) })
        let b = Tensor(shape: [n], data: (0..<n).map { Float($0 % 13) })
        let c = a * b + 1
        #expect(c.data[n - 1] == Float((n - 1) % 97) * Float((n - 1) % 13) + 1)
        #expect(c.data[n / 2 + 3] == Float((n / 2 + 3) % 97) * Float((n / 2 + 3) % 13) + 1)
        #expect(Swift.abs(a.sum().item - Float((0..<n).reduce(0) { $0 + $1 % 97 })) < 1)
    }
}

@Suite struct BroadcastParallelTests {
    @Test func largeBroadcastMatchesNaive() {
        // [2, 8, 72, 60] * [1, 8, 1, 1] + [60]: 69,120 elements, above the parallel threshold.
        let a = randomTensor([2, 8, 72, 60], seed: 200), c = randomTensor([1, 8, 1, 1], seed: 201)
        let b = randomTensor([60], seed: 202)
        let y = a * c + b
        var worst: Float = 0
        for n in 0..<2 { for ch in 0..<8 { for h in 0..<72 { for w in 0..<60 {
            let i = ((n * 8 + ch) * 72 + h) * 60 + w
            worst = Swift.max(worst, Swift.abs(y.data[i] - (a.data[i] * c.data[ch] + b.data[w])))
        } } } }
        #expect(worst == 0)
        // Backward expands c's gradient path over the large shape (parallel expand).
        let a2 = randomTensor([2, 8, 72, 60], seed: 203)
        let c2 = Tensor(shape: [1, 8, 1, 1], data: [1, 2, 3, 4, 5, 6, 7, 8])
        (a2 * c2).sum().backward()
        #expect(a2.grad![0] == 1 && a2.grad![69_119] == 8 && a2.grad![4320 * 3 + 5] == 4)
    }

    @Test func rowRangeVisitStartsMidTensor() {
        var seen: [Int] = []
        Broadcast.forEachRow([2, 3, 4], Broadcast.strides([2, 3, 4]), [0, 0, 0], rows: 2..<5) { o, a, _, _, _, _ in
            seen.append(o); seen.append(a)
        }
        #expect(seen == [8, 8, 12, 12, 16, 16])
    }
}
