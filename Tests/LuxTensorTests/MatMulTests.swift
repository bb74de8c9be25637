import Testing
@testable import LuxTensor

@Test func matmulKnownValues() {
    let a = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
    let b = Tensor(shape: [3, 2], data: [7, 8, 9, 10, 11, 12])
    #expect(matmul(a, b).data == [58, 64, 139, 154])
    // Batched: second batch item is the identity product.
    let ab = Tensor(shape: [2, 2, 2], data: [1, 2, 3, 4, 1, 0, 0, 1])
    let bb = Tensor(shape: [2, 2, 2], data: [5, 6, 7, 8, 2, 3, 4, 5])
    #expect(matmul(ab, bb).data == [19, 22, 43, 50, 2, 3, 4, 5])
}

@Test func matmulGradients() {
    let a = convTestTensor([3, 4], seed: 21), b = convTestTensor([4, 5], seed: 22)
    expectSampledGrad([a, b]) { t in matmul(t[0], t[1]) }
    let ab = convTestTensor([2, 3, 4], seed: 23), bb = convTestTensor([2, 4, 2], seed: 24)
    expectSampledGrad([ab, bb]) { t in matmul(t[0], t[1]) }
    let shared = convTestTensor([4, 2], seed: 25)
    expectSampledGrad([ab, shared]) { t in matmul(t[0], t[1]) }
}
