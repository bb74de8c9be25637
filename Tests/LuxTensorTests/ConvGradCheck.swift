import Testing
@testable import LuxTensor

/// Deterministic uniform values in [-1, 1) for tests (SplitMix64).
func convTestValues(_ count: Int, seed: UInt64) -> [Float] {
    convUniformInit(count: count, bound: 1, seed: seed)
}

func convTestTensor(_ shape: [Int], seed: UInt64, requiresGrad: Bool = true) -> Tensor {
    Tensor(shape: shape, data: convTestValues(shape.reduce(1, *), seed: seed), requiresGrad: requiresGrad)
}

/// Finite-difference gradient check of `f` at `inputs`.
///
/// Loss `L = Σ r ⊙ f(inputs)` with fixed random `r`; analytic gradients from `backward(seed: r)`,
/// numeric ones from Double central differences `(L(x+h) - L(x-h)) / 2h` with the forward in Float.
/// Checks up to `samples` elements per input. Returns the worst error relative to `max(1, |g|)`.
@discardableResult
func convGradCheck(_ inputs: [Tensor], h: Float = 1e-2, samples: Int = 40, tolerance: Double = 2e-2,
                   sourceLocation: SourceLocation = #_sourceLocation,
                   _ f: ([Tensor]) -> Tensor) -> Double {
    for t in inputs { t.zeroGrad() }
    let y = f(inputs)
    let r = convTestValues(y.count, seed: 999)
    y.backward(seed: r)
    func loss() -> Double {
        let out = f(inputs)   // not GradMode.withoutGrad: that flag is process-global and tests run in parallel
        return zip(out.data, r).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    var worst = 0.0
    for (ti, t) in inputs.enumerated() where t.requiresGrad {
        guard let g = t.grad else {
            Issue.record("input \(ti) got no gradient", sourceLocation: sourceLocation)
            continue
        }
        let stride = max(1, t.count / samples)
        for i in Swift.stride(from: 0, to: t.count, by: stride) {
            let saved = t.data[i]
            t.data[i] = saved + h
            let lp = loss()
            t.data[i] = saved - h
            let lm = loss()
            t.data[i] = saved
            let numeric = (lp - lm) / (2 * Double(h))
            let err = abs(numeric - Double(g[i])) / max(1, abs(numeric))
            worst = max(worst, err)
            if err > tolerance {
                Issue.record("input \(ti) element \(i): analytic \(g[i]) vs numeric \(numeric)", sourceLocation: sourceLocation)
                return worst
            }
        }
    }
    return worst
}
