import Testing
@testable import LuxTensor

/// Finite-difference gradient checker.
///
/// The scalar probed is `L(x) = Σᵢ wᵢ·f(x)ᵢ` with fixed random weights `w` (so every output
/// element's gradient path is exercised), accumulated in Double. For each input element the
/// central difference `(L(x+h) − L(x−h)) / (2h)` is compared with the tape's gradient from
/// `f(x).backward(seed: w)`; an element fails when `|num − ana| > atol + rtol·max(|num|, |ana|)`.
/// Returns one message per failing element (empty means pass).
func gradCheck(_ inputs: [Tensor], h: Float = 1e-3, rtol: Double = 2e-2, atol: Double = 2e-3,
               seed: UInt64 = 99, _ f: ([Tensor]) -> Tensor) -> [String] {
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
        for i in 0..<x.count {
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
func expectGrad(_ inputs: [Tensor], h: Float = 1e-3, rtol: Double = 2e-2, atol: Double = 2e-3,
                sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Tensor]) -> Tensor) {
    let failures = gradCheck(inputs, h: h, rtol: rtol, atol: atol, f)
    #expect(failures.isEmpty, "\(failures.count) gradient mismatches: \(failures.prefix(4))", sourceLocation: sourceLocation)
}

/// Max |a − b| over two arrays.
func maxDiff(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).reduce(0) { Swift.max($0, Swift.abs($1.0 - $1.1)) }
}
