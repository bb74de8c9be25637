import Testing
@testable import LuxTensor

/// PyTorch `interpolate(mode="bilinear", align_corners=False)` written per output pixel.
func naiveBilinear(_ x: Tensor, _ f: Int) -> [Float] {
    let (pl, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
    var y: [Float] = []
    for p in 0..<pl { for i in 0..<(h * f) { for j in 0..<(w * f) {
        let u = max(0, (Double(i) + 0.5) / Double(f) - 0.5), v = max(0, (Double(j) + 0.5) / Double(f) - 0.5)
        let i0 = min(Int(u.rounded(.down)), h - 1), j0 = min(Int(v.rounded(.down)), w - 1)
        let i1 = min(i0 + 1, h - 1), j1 = min(j0 + 1, w - 1)
        let a = u - Double(i0), b = v - Double(j0)
        func at(_ r: Int, _ c: Int) -> Double { Double(x.data[(p * h + r) * w + c]) }
        let val = (1 - a) * ((1 - b) * at(i0, j0) + b * at(i0, j1)) + a * ((1 - b) * at(i1, j0) + b * at(i1, j1))
        y.append(Float(val))
    } } }
    return y
}

@Test func upsampleKnownValues() {
    let x = Tensor(shape: [1, 1, 2, 2], data: [1, 2, 3, 4])
    #expect(upsample2d(x, factor: 2).data == [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
    // Same as torch.nn.functional.interpolate(scale_factor=2, mode="bilinear", align_corners=False).
    let expected: [Float] = [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]
    let y = upsample2d(x, factor: 2, mode: .bilinear)
    #expect(zip(y.data, expected).allSatisfy { abs($0 - $1) < 1e-6 })
}

@Test func upsampleMatchesNaive() {
    let x = convTestTensor([2, 3, 5, 4], seed: 41)
    for f in [2, 3, 4] {
        let y = upsample2d(x, factor: f, mode: .bilinear)
        #expect(y.shape == [2, 3, 5 * f, 4 * f])
        #expect(zip(y.data, naiveBilinear(x, f)).allSatisfy { abs($0 - $1) < 1e-5 }, "factor \(f)")
        let nn = upsample2d(x, factor: f)
        #expect(nn.data[((1 * 3 + 2) * 5 * f + (5 * f - 1)) * 4 * f + 1] == x.data[((1 * 3 + 2) * 5 + 4) * 4 + 0])
    }
}

@Test func upsampleGradients() {
    let x = convTestTensor([2, 2, 3, 4], seed: 42)
    expectSampledGrad([x]) { t in upsample2d(t[0], factor: 2, mode: .bilinear) }
    expectSampledGrad([x]) { t in upsample2d(t[0], factor: 3, mode: .bilinear) }
    expectSampledGrad([x]) { t in upsample2d(t[0], factor: 2) }
}
