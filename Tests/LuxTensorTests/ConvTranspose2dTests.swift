import Testing
@testable import LuxTensor

/// Transposed convolution by scattering, in Double.
func naiveConvTranspose2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: (Int, Int), pad: (Int, Int),
                          outPad: (Int, Int), dil: (Int, Int)) -> [Double] {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (w.shape[1], w.shape[2], w.shape[3])
    let oh = (h - 1) * stride.0 - 2 * pad.0 + dil.0 * (kh - 1) + 1 + outPad.0
    let ow = (wd - 1) * stride.1 - 2 * pad.1 + dil.1 * (kw - 1) + 1 + outPad.1
    var y = [Double](repeating: 0, count: n * o * oh * ow)
    for ni in 0..<n { for oi in 0..<o { for k in 0..<(oh * ow) { y[(ni * o + oi) * oh * ow + k] = Double(b?.data[oi] ?? 0) } } }
    for ni in 0..<n { for ci in 0..<c { for i in 0..<h { for j in 0..<wd {
        let xv = Double(x.data[((ni * c + ci) * h + i) * wd + j])
        for oi in 0..<o { for p in 0..<kh { for q in 0..<kw {
            let yy = i * stride.0 - pad.0 + p * dil.0, xx = j * stride.1 - pad.1 + q * dil.1
            if yy < 0 || yy >= oh || xx < 0 || xx >= ow { continue }
            y[((ni * o + oi) * oh + yy) * ow + xx] += xv * Double(w.data[((ci * o + oi) * kh + p) * kw + q])
        } } }
    } } } }
    return y
}

@Test func convTranspose2dMatchesNaive() {
    let x = convTestTensor([2, 4, 5, 6], seed: 11)
    let w = convTestTensor([4, 3, 3, 2], seed: 12)
    let b = convTestTensor([3], seed: 13)
    for (s, p, op, d) in [((1, 1), (0, 0), (0, 0), (1, 1)), ((2, 2), (1, 0), (1, 1), (1, 1)), ((2, 1), (1, 1), (0, 0), (2, 2))] {
        let y = convTranspose2d(x, w, bias: b, stride: s, padding: p, outputPadding: op, dilation: d)
        let ref = naiveConvTranspose2d(x, w, b, stride: s, pad: p, outPad: op, dil: d)
        #expect(y.count == ref.count, "stride \(s) pad \(p)")
        #expect(maxAbsDiff(y.data, ref) < 1e-4, "stride \(s) pad \(p) outPad \(op) dil \(d)")
    }
    // 2x2 stride-2 (U-Net up-sampling): exact doubling of the size.
    let up = ConvTranspose2d(4, 2, kernelSize: 2, stride: 2, seed: 3)
    #expect(up(x).shape == [2, 2, 10, 12])
}

@Test func convTranspose2dGradients() {
    let x = convTestTensor([2, 3, 4, 5], seed: 14)
    let w = convTestTensor([3, 2, 3, 3], seed: 15)
    let b = convTestTensor([2], seed: 16)
    expectSampledGrad([x, w, b]) { t in
        convTranspose2d(t[0], t[1], bias: t[2], stride: (2, 2), padding: (1, 1), outputPadding: (1, 0))
    }
    expectSampledGrad([x, w]) { t in convTranspose2d(t[0], t[1], stride: 1, padding: 0, dilation: 2) }
}
