import Testing
@testable import LuxTensor

/// Naive reference: normalise `x` [N, C, H, W] where values sharing a `group(n, c)` key form one set.
private func naiveNorm(_ x: Tensor, eps: Float, group: (Int, Int, Int, Int) -> Int) -> [Float] {
    let (N, C, H, W) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    var sums: [Int: (Double, Double, Int)] = [:]
    func idx(_ n: Int, _ c: Int, _ h: Int, _ w: Int) -> Int { ((n * C + c) * H + h) * W + w }
    for n in 0..<N { for c in 0..<C { for h in 0..<H { for w in 0..<W {
        let v = Double(x.data[idx(n, c, h, w)]), k = group(n, c, h, w)
        let s = sums[k] ?? (0, 0, 0)
        sums[k] = (s.0 + v, s.1 + v * v, s.2 + 1)
    } } } }
    var out = x.data
    for n in 0..<N { for c in 0..<C { for h in 0..<H { for w in 0..<W {
        let (s, s2, m) = sums[group(n, c, h, w)]!
        let mean = s / Double(m), variance = s2 / Double(m) - mean * mean
        out[idx(n, c, h, w)] = Float((Double(x.data[idx(n, c, h, w)]) - mean) / (variance + Double(eps)).squareRoot())
    } } } }
    return out
}

@Suite struct NormalizationTests {
    let x = randomTensor([3, 2, 4, 5], seed: 80)

    @Test func batchNormMatchesNaiveAndTracksRunningStats() {
        let bn = BatchNorm(2)
        let y = bn(x.detached())
        #expect(maxDiff(y.data, naiveNorm(x, eps: 1e-5) { _, c, _, _ in c }) < 1e-4)
        // Running mean after one step: 0.9·0 + 0.1·batch mean of channel 0.
        var m0: Float = 0
        for n in 0..<3 { for i in 0..<20 { m0 += x.data[n * 40 + i] } }
        #expect(Swift.abs(bn.runningMean.data[0] - 0.1 * m0 / 60) < 1e-5)
        bn.training = false
        bn.runningMean.data = [1, -1]; bn.runningVar.data = [4, 0.25]
        bn.weight.data = [2, 1]; bn.bias.data = [0, 3]
        let e = bn(Tensor(repeating: 3, shape: [1, 2, 1, 1]))
        #expect(maxDiff(e.data, [2 * (3 - 1) / (4 + 1e-5 as Float).squareRoot(), (3 + 1) / (0.25 + 1e-5 as Float).squareRoot() + 3]) < 1e-4)
    }

    @Test func instanceAndLayerNormMatchNaive() {
        let inorm = InstanceNorm(2)
        #expect(maxDiff(inorm(x.detached()).data, naiveNorm(x, eps: 1e-5) { n, c, _, _ in n * 2 + c }) < 1e-4)
        let ln = LayerNorm([2, 4, 5])
        #expect(maxDiff(ln(x.detached()).data, naiveNorm(x, eps: 1e-5) { n, _, _, _ in n }) < 1e-4)
        let ln2 = LayerNorm([5], affine: false)
        #expect(maxDiff(ln2(x.detached()).data, naiveNorm(x, eps: 1e-5) { n, c, h, _ in (n * 2 + c) * 4 + h }) < 1e-4)
    }

    @Test func gradNorms() {
        let bn = BatchNorm(2)
        bn.weight.data = [1.5, 0.5]; bn.bias.data = [0.2, -0.3]
        expectGrad([randomTensor([3, 2, 2, 2], seed: 81), bn.weight, bn.bias], rtol: 3e-2, atol: 5e-3) { bn($0[0]) }
        let bn1 = BatchNorm(3)
        expectGrad([randomTensor([4, 3], seed: 82)], rtol: 3e-2, atol: 5e-3) { bn1($0[0]) }
        let inorm = InstanceNorm(2)
        inorm.weight!.data = [0.7, 1.3]
        expectGrad([randomTensor([2, 2, 2, 3], seed: 83), inorm.weight!, inorm.bias!], rtol: 3e-2, atol: 5e-3) { inorm($0[0]) }
        let ln = LayerNorm([2, 3])
        ln.weight!.data = [1, 2, 0.5, 1.5, 1, 0.8]
        expectGrad([randomTensor([2, 2, 3], seed: 84), ln.weight!, ln.bias!], rtol: 3e-2, atol: 5e-3) { ln($0[0]) }
        let bnEval = BatchNorm(2)
        bnEval.training = false
        bnEval.runningMean.data = [0.5, -0.5]; bnEval.runningVar.data = [2, 0.5]
        expectGrad([randomTensor([2, 2, 2, 2], seed: 85), bnEval.weight, bnEval.bias]) { bnEval($0[0]) }
    }
}
