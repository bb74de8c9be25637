/// Fully connected layer `y = x·Wᵀ + b` for `x` of shape `[N, in]` (or `[in]`), weight `[out, in]`,
/// bias `[out]`. Weights start Kaiming-uniform (ReLU gain), bias zero.
public final class Linear: Module {
    public let weight: Tensor
    public let bias: Tensor?

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, negativeSlope: Float = 0, rng: inout RNG) {
        weight = Init.kaimingUniform([outFeatures, inFeatures], negativeSlope: negativeSlope, rng: &rng)
        self.bias = bias ? Tensor(zeros: [outFeatures], requiresGrad: true) : nil
    }

    public func namedParameters() -> [(String, Tensor)] {
        var out = [("weight", weight)]
        if let bias { out.append(("bias", bias)) }
        return out
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { linearForward(x, weight, bias) }
}

/// `x·Wᵀ + b` as one tape op, on `dnnl_sgemm`.
/// `x`: `[N, in]` or `[in]`; `w`: `[out, in]`; `b`: `[out]`. Result `[N, out]` (or `[out]`).
/// Backward: `dx = dy·W`, `dW = dyᵀ·x`, `db = Σₙ dy`.
public func linearForward(_ x: Tensor, _ w: Tensor, _ b: Tensor?) -> Tensor {
    precondition(w.rank == 2, "linear weight must be [out, in], got \(w.shape)")
    let outF = w.shape[0], inF = w.shape[1]
    precondition(x.rank == 1 || x.rank == 2, "linear input must be [N, in] or [in], got \(x.shape)")
    precondition(x.shape.last == inF, "linear input \(x.shape) does not match weight \(w.shape)")
    if let b { precondition(b.shape == [outF], "linear bias must be [\(outF)], got \(b.shape)") }
    let n = x.rank == 2 ? x.shape[0] : 1
    // y = 1·x·Wᵀ + 1·(bias broadcast over rows)
    let y = makeArray(n * outF) { raw in
        let yp = raw.assumingMemoryBound(to: Float.self)
        if let b {
            b.data.withUnsafeBufferPointer { bp in
                for i in 0..<n { (yp + i * outF).update(from: bp.baseAddress!, count: outF) }
            }
        } else {
            yp.initialize(repeating: 0, count: n * outF)
        }
        x.data.withUnsafeBufferPointer { xp in
            w.data.withUnsafeBufferPointer { wp in
                DNNL.sgemm(transA: false, transB: true, m: n, n: outF, k: inF, a: xp.baseAddress!, lda: inF,
                           b: wp.baseAddress!, ldb: inF, beta: 1, c: yp, ldc: outF)
            }
        }
    }
    let parents = b.map { [x, w, $0] } ?? [x, w]
    let outShape = x.rank == 2 ? [n, outF] : [outF]
    return .result(shape: outShape, data: y, parents: parents) { out in
        let g = out.grad!
        g.withUnsafeBufferPointer { gp in
            let gb = gp.baseAddress!
            if x.requiresGrad {
                let gx = makeArray(n * inF) { raw in
                    w.data.withUnsafeBufferPointer { wp in
                        DNNL.sgemm(transA: false, transB: false, m: n, n: inF, k: outF, a: gb, lda: outF,
                                   b: wp.baseAddress!, ldb: inF, beta: 0, c: raw.assumingMemoryBound(to: Float.self), ldc: inF)
                    }
                }
                x.accumulateGrad(gx)
            }
            if w.requiresGrad {
                let gw = makeArray(outF * inF) { raw in
                    x.data.withUnsafeBufferPointer { xp in
                        DNNL.sgemm(transA: true, transB: false, m: outF, n: inF, k: n, a: gb, lda: outF,
                                   b: xp.baseAddress!, ldb: inF, beta: 0, c: raw.assumingMemoryBound(to: Float.self), ldc: inF)
                    }
                }
                w.accumulateGrad(gw)
            }
            if let b, b.requiresGrad {
                var db = [Float](repeating: 0, count: outF)
                for i in 0..<n { for o in 0..<outF { db[o] += gb[i * outF + o] } }
                b.accumulateGrad(db)
            }
        }
    }
}

/// Layers applied in order; parameters are named `"<index>.<name>"` like PyTorch's `nn.Sequential`.
public final class Sequential: Module {
    public let layers: [any Module]
    private let forwards: [(Tensor) -> Tensor]

    /// Each element pairs a module (or nil for parameter-free steps) with its forward function.
    public init(_ steps: [(module: (any Module)?, forward: (Tensor) -> Tensor)]) {
        layers = steps.compactMap(\.module)
        forwards = steps.map(\.forward)
        indexedNames = steps.enumerated().compactMap { i, s in s.module.map { (i, $0) } }
    }

    private let indexedNames: [(Int, any Module)]

    public func namedParameters() -> [(String, Tensor)] {
        indexedNames.flatMap { i, m in m.namedParameters().map { ("\(i).\($0.0)", $0.1) } }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { forwards.reduce(x) { $1($0) } }
}
