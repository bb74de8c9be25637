import Testing
@testable import LuxTensor

/// Finite-difference gradient checker.
///
/// The scalar probed is `L(x) = Σᵢ wᵢ·f(x)ᵢ` with fixed random weights `w` (so every output
/// element's gradient path is exercised), accumulated in Double. For each input element the
/// central difference `(L(x+h) − L(x−h)) / (2h)` is compared with the tape's gradient from
/// `f(x).backward(seed: w)`; an element fails when `|num − ana| > atol + rtol·max(|num|, |ana|)`.
/// With `samples`, only about that many evenly strided elements of each input are probed (for
/// large tensors such as conv weights); nil probes every element.
/// Returns one message per failing element (empty means pass).
func gradCheck(_ inputs: [Tensor], h: Float = 1e-3, rtol: Double = 2e-2, atol: Double = 2e-3,
               samples: Int? = nil, seed: UInt64 = 99, _ f: ([Tensor]) -> Tensor) -> [String] {
    for x in inputs { x.requiresGrad = true; x.zeroGrad() }
    let y0 = f(inputs)
    var rng = RNG(seed: seed)
    let w = (0..<y0.count).map { _ in rng.uniform(0.5, 1.5) * (rng.uniform() < 0.5 ? -1 : 1) }
    y0.backward(seed: w)
    let analytic = inputs.map { $0.grad ?? [Float](repeating: 0, count: $0.count) }
    func loss() -> Double {
        let y = GradMode.withoutGrad { f(inputs) }
        return zip(y.data, w).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    var failures: [String] = []
    for (k, x) in inputs.enumerated() {
        let step = samples.map { Swift.max(1, x.count / $0) } ?? 1
        for i in Swift.stride(from: 0, to: x.count, by: step) {
            let orig = x.data[i]
            x.data[i] = orig + h; let up = Double(x.data[i]); let lp = loss()
            x.data[i] = orig - h; let dn = Double(x.data[i]); let lm = loss()
            x.data[i] = orig
            let num = (lp - lm) / (up - dn)
            let ana = Double(analytic[k][i])
            if Swift.abs(num - ana) > atol + rtol * Swift.max(Swift.abs(num), Swift.abs(ana)) {
                failures.append("input \(k)[\(i)]: numeric \(num) vs analytic \(ana)")
            }
        }
    }
    return failures
}

/// Random N(0,1) tensor; with `awayFromZero`, values are pushed to |x| ≥ 0.1 (clear of kinks at 0).
func randomTensor(_ shape: [Int], seed: UInt64, awayFromZero: Bool = false, positive: Bool = false) -> Tensor {
    var rng = RNG(seed: seed)
    let data = (0..<shape.reduce(1, *)).map { _ -> Float in
        var v = rng.normal()
        if awayFromZero && Swift.abs(v) < 0.1 { v = v < 0 ? v - 0.1 : v + 0.1 }
        if positive { v = Swift.abs(v) + 0.2 }
        return v
    }
    return Tensor(shape: shape, data: data, requiresGrad: true)
}

/// `#expect` that a gradient check passes, showing the first failures.
func expectGrad(_ inputs: [Tensor], h: Float = 1e-3, rtol: Double = 2e-2, atol: Double = 2e-3, samples: Int? = nil,
                sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Tensor]) -> Tensor) {
    let failures = gradCheck(inputs, h: h, rtol: rtol, atol: atol, samples: samples, f)
    #expect(failures.isEmpty, "\(failures.count) gradient mismatches: \(failures.prefix(4))", sourceLocation: sourceLocation)
}

/// Max |a − b| over two arrays.
func maxDiff(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).reduce(0) { Swift.max($0, Swift.abs($1.0 - $1.1)) }
}

/// Deterministic uniform values in [-1, 1) for tests (SplitMix64, as the conv layer init).
func convTestValues(_ count: Int, seed: UInt64) -> [Float] {
    convUniformInit(count: count, bound: 1, seed: seed)
}

/// A tensor of ``convTestValues(_:seed:)``.
func convTestTensor(_ shape: [Int], seed: UInt64, requiresGrad: Bool = true) -> Tensor {
    Tensor(shape: shape, data: convTestValues(shape.reduce(1, *), seed: seed), requiresGrad: requiresGrad)
}

/// Gradient check for conv-style ops on larger tensors: strided samples of each input, step
/// `h = 1e-2` and absolute tolerance 2e-2 (Float forward passes summing many products).
func expectSampledGrad(_ inputs: [Tensor], h: Float = 1e-2, samples: Int = 40,
                       sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Tensor]) -> Tensor) {
    expectGrad(inputs, h: h, rtol: 2e-2, atol: 2e-2, samples: samples, sourceLocation: sourceLocation, f)
}
