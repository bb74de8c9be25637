import Testing
@testable import LuxTensor

/// Direct convolution in Double, the definition written out.
func naiveConv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: (Int, Int), pad: (Int, Int), dil: (Int, Int)) -> [Double] {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let oh = (h + 2 * pad.0 - dil.0 * (kh - 1) - 1) / stride.0 + 1
    let ow = (wd + 2 * pad.1 - dil.1 * (kw - 1) - 1) / stride.1 + 1
    var y = [Double](repeating: 0, count: n * o * oh * ow)
    for ni in 0..<n { for oi in 0..<o { for i in 0..<oh { for j in 0..<ow {
        var s = Double(b?.data[oi] ?? 0)
        for ci in 0..<c { for p in 0..<kh { for q in 0..<kw {
            let yy = i * stride.0 - pad.0 + p * dil.0, xx = j * stride.1 - pad.1 + q * dil.1
            if yy < 0 || yy >= h || xx < 0 || xx >= wd { continue }
            s += Double(x.data[((ni * c + ci) * h + yy) * wd + xx]) * Double(w.data[((oi * c + ci) * kh + p) * kw + q])
        } } }
        y[((ni * o + oi) * oh + i) * ow + j] = s
    } } } }
    return y
}

func maxAbsDiff(_ a: [Float], _ b: [Double]) -> Double {
    zip(a, b).map { abs(Double($0) - $1) }.max() ?? 0
}

@Test func conv2dMatchesNaiveStridePaddingDilationBias() {
    let x = convTestTensor([2, 3, 11, 9], seed: 1)
    let w = convTestTensor([5, 3, 3, 2], seed: 2)   // non-square kernel
    let b = convTestTensor([5], seed: 3)
    for (s, p, d) in [((1, 1), (0, 0), (1, 1)), ((2, 2), (1, 1), (1, 1)), ((1, 2), (1, 0), (2, 2)), ((2, 1), (2, 1), (2, 1))] {
        let y = conv2d(x, w, bias: b, stride: s, padding: p, dilation: d)
        let ref = naiveConv2d(x, w, b, stride: s, pad: p, dil: d)
        #expect(y.count == ref.count)
        #expect(maxAbsDiff(y.data, ref) < 1e-4, "stride \(s) pad \(p) dil \(d)")
    }
    let yNoBias = conv2d(x, w, stride: 2, padding: 1)
    #expect(yNoBias.shape == [2, 5, 6, 5])
    #expect(maxAbsDiff(yNoBias.data, naiveConv2d(x, w, nil, stride: (2, 2), pad: (1, 1), dil: (1, 1))) < 1e-4)
}

@Test func conv2dGradients() {
    let x = convTestTensor([2, 3, 7, 6], seed: 4)
    let w = convTestTensor([4, 3, 3, 2], seed: 5)
    let b = convTestTensor([4], seed: 6)
    expectSampledGrad([x, w, b]) { t in
        conv2d(t[0], t[1], bias: t[2], stride: (2, 1), padding: (1, 1), dilation: (2, 1))
    }
    expectSampledGrad([x, w]) { t in conv2d(t[0], t[1], stride: 1, padding: 1) }
}

@Test func conv2dLayerShapesAndParameters() {
    let layer = Conv2d(3, 8, kernelSize: 4, stride: 2, padding: 1, seed: 7)
    let y = layer(Tensor(zeros: [2, 3, 16, 16]))
    #expect(y.shape == [2, 8, 8, 8])
    #expect(layer.namedParameters().map(\.0) == ["weight", "bias"])
    #expect(layer.parameterCount == 8 * 3 * 16 + 8)
    // Zero input: output is the bias everywhere.
    #expect(abs(y.data[8 * 8 * 3] - layer.bias!.data[3]) < 1e-6)
    let bound = 1 / Float(48).squareRoot()
    #expect(layer.weight.data.allSatisfy { abs($0) <= bound })
}

@Test func conv2dGradientsWithBlockedLayouts() {
    // 16+ channels: oneDNN picks blocked layouts (nChw16c), so backward-weights reuses the
    // forward pass's reordered input and backward-data's reordered output gradient.
    let x = convTestTensor([2, 16, 6, 6], seed: 7)
    let w = convTestTensor([32, 16, 3, 3], seed: 8)
    let b = convTestTensor([32], seed: 9)
    expectSampledGrad([x, w, b], samples: 15) { t in conv2d(t[0], t[1], bias: t[2], stride: 1, padding: 1) }
    let wt = convTestTensor([16, 16, 2, 2], seed: 10)
    expectSampledGrad([x, wt], samples: 15) { t in convTranspose2d(t[0], t[1], stride: 2) }
}
