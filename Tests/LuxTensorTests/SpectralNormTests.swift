import Testing
@testable import LuxTensor

/// A 3x4 matrix with singular values 5, 2, 0.5: rows are scaled, mutually orthogonal vectors.
func knownSpectrumWeight() -> Tensor {
    // Orthogonal rows of a 4x4 Hadamard / 2 (unit length), scaled by 5, 2, 0.5.
    let h: [[Float]] = [[1, 1, 1, 1], [1, -1, 1, -1], [1, 1, -1, -1]]
    let s: [Float] = [5, 2, 0.5]
    return Tensor(shape: [3, 2, 2, 1], data: (0..<3).flatMap { i in h[i].map { $0 * 0.5 * s[i] } }, requiresGrad: true)
}

@Test func spectralNormFindsLargestSingularValue() {
    let w = knownSpectrumWeight()
    let sn = SpectralNorm(outFeatures: 3, seed: 1)
    var y = sn(w)
    for _ in 0..<30 { y = sn(w) }        // persistent u: one power step per call
    #expect(abs(sn.sigma - 5) < 1e-3)
    #expect(zip(y.data, w.data).allSatisfy { abs($0 - $1 / 5) < 1e-3 })
    let norm = sn.u.reduce(0) { $0 + $1 * $1 }.squareRoot()
    #expect(abs(norm - 1) < 1e-5)
    // Inference leaves u alone.
    let before = sn.u
    _ = GradMode.withoutGrad { sn(w) }
    #expect(sn.u == before)
}

@Test func spectralNormGradient() {
    // Converged power iteration: treating u, v as constants gives the exact derivative of σ.
    let w = convTestTensor([4, 3, 2, 1], seed: 61)
    let sn = SpectralNorm(outFeatures: 4, iterations: 100, seed: 2)
    expectSampledGrad([w], h: 5e-3) { t in sn(t[0]) }
}
