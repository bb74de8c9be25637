import Testing
@testable import LuxTensor

/// Naive pooling: `isMax` picks max (padding ignored), else sum / (kh·kw) with zero padding.
func naivePool(_ x: Tensor, k: (Int, Int), s: (Int, Int), p: (Int, Int), isMax: Bool) -> [Float] {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let oh = (h + 2 * p.0 - k.0) / s.0 + 1, ow = (w + 2 * p.1 - k.1) / s.1 + 1
    var y: [Float] = []
    for pl in 0..<(n * c) { for i in 0..<oh { for j in 0..<ow {
        var m = -Float.infinity, sum: Float = 0
        for a in 0..<k.0 { for b in 0..<k.1 {
            let yy = i * s.0 - p.0 + a, xx = j * s.1 - p.1 + b
            guard yy >= 0, yy < h, xx >= 0, xx < w else { continue }
            let v = x.data[(pl * h + yy) * w + xx]
            m = max(m, v); sum += v
        } }
        y.append(isMax ? m : sum / Float(k.0 * k.1))
    } } }
    return y
}

/// Distinct values 0.1 apart in scrambled order (max-pool finite differences never swap the winner).
func distinctTensor(_ shape: [Int]) -> Tensor {
    let n = shape.reduce(1, *)
    return Tensor(shape: shape, data: (0..<n).map { Float(($0 * 37) % n) * 0.1 - Float(n) * 0.05 }, requiresGrad: true)
}

@Test func poolingMatchesNaive() {
    let x = convTestTensor([2, 3, 9, 8], seed: 31)
    for (k, s, p) in [((2, 2), (2, 2), (0, 0)), ((3, 3), (2, 2), (1, 1)), ((3, 2), (1, 2), (1, 0))] {
        let mp = maxPool2d(x, kernel: k, stride: s, padding: p)
        let ap = avgPool2d(x, kernel: k, stride: s, padding: p)
        let refMax = naivePool(x, k: k, s: s, p: p, isMax: true)
        let refAvg = naivePool(x, k: k, s: s, p: p, isMax: false)
        #expect(mp.data == refMax, "max k\(k) s\(s) p\(p)")
        #expect(zip(ap.data, refAvg).allSatisfy { abs($0 - $1) < 1e-6 }, "avg k\(k) s\(s) p\(p)")
    }
    #expect(maxPool2d(x, kernel: 2).shape == [2, 3, 4, 4])
    let small = Tensor(shape: [1, 1, 2, 2], data: [1, 5, -3, 2])
    #expect(maxPool2d(small, kernel: 2).data == [5])
    #expect(avgPool2d(small, kernel: 2).data == [1.25])
    let gap = globalAvgPool2d(x)
    #expect(gap.shape == [2, 3, 1, 1])
    #expect(abs(gap.data[4] - x.data[4 * 72..<5 * 72].reduce(0, +) / 72) < 1e-5)
}

@Test func poolingGradients() {
    let x = distinctTensor([2, 2, 6, 5])
    expectSampledGrad([x]) { t in maxPool2d(t[0], kernel: (3, 2), stride: (2, 1), padding: (1, 1)) }
    expectSampledGrad([x]) { t in maxPool2d(t[0], kernel: 2) }
    let y = convTestTensor([2, 2, 6, 5], seed: 32)
    expectSampledGrad([y]) { t in avgPool2d(t[0], kernel: (3, 3), stride: (2, 2), padding: (1, 1)) }
    expectSampledGrad([y]) { t in globalAvgPool2d(t[0]) }
}
