import LuxTensor

/// Differentiable tensor forward of one filter: a single recorded op with a hand-written backward.
///
/// `images` is NCHW [N, 3, H, W]; `params` is [N, P] in ``Filter/parameters`` order, either the
/// parameter values themselves or (with `raw: true`) unbounded network outputs that are first
/// mapped through each parameter's ``ParamMapping``. Gradients flow to both inputs.
///
/// Backward: per pixel, the vector–Jacobian product gᵀJ is formed from forward-mode dual
/// evaluations of the same kernel along each of the 3 pixel and P parameter directions
/// (exact derivatives, O((3 + P)·HW) work per sample).
public enum FilterOp {
    public static func forward(_ filter: any Filter.Type, images: Tensor, params: Tensor, raw: Bool = false) -> Tensor {
        forwardTyped(filter, images: images, params: params, raw: raw)
    }

    static func forwardTyped<F: Filter>(_ f: F.Type, images: Tensor, params: Tensor, raw: Bool) -> Tensor {
        precondition(images.rank == 4 && images.shape[1] == 3, "filter \(F.id): images must be [N, 3, H, W], got \(images.shape)")
        let n = images.shape[0], hw = images.shape[2] * images.shape[3]
        let specs = F.parameters, np = specs.count
        precondition(params.shape == [n, np], "filter \(F.id): params must be [\(n), \(np)], got \(params.shape)")
        func values<T: CoefficientScalar>(_ x: [T]) -> [T] { raw ? zip(specs, x).map { $0.map($1) } : x }
        var out = [Float](repeating: 0, count: images.count)
        for s in 0..<n {
            let p = values((0..<np).map { Double(params.data[s * np + $0]) })
            let k = F.coefficients(p)
            k.withUnsafeBufferPointer { kb in
                let base = s * 3 * hw
                for i in 0..<hw {
                    var r = Double(images.data[base + i]), g = Double(images.data[base + hw + i]), b = Double(images.data[base + 2 * hw + i])
                    F.apply(&r, &g, &b, kb)
                    out[base + i] = Float(r); out[base + hw + i] = Float(g); out[base + 2 * hw + i] = Float(b)
                }
            }
        }
        return Tensor.result(shape: images.shape, data: out, parents: [images, params]) { res in
            let gy = res.grad!
            var gx = [Float](repeating: 0, count: images.count)
            var gp = [Float](repeating: 0, count: params.count)
            for s in 0..<n {
                let p0 = (0..<np).map { Double(params.data[s * np + $0]) }
                let plain = F.coefficients(values(p0.map { Dual($0) }))
                // Coefficients with parameter j seeded.
                let seeded: [[Dual]] = params.requiresGrad ? (0..<np).map { j in
                    F.coefficients(values(p0.enumerated().map { Dual($0.element, $0.offset == j ? 1 : 0) }))
                } : []
                let base = s * 3 * hw
                var acc = [Double](repeating: 0, count: np)
                for i in 0..<hw {
                    let x = (Double(images.data[base + i]), Double(images.data[base + hw + i]), Double(images.data[base + 2 * hw + i]))
                    let g = (Double(gy[base + i]), Double(gy[base + hw + i]), Double(gy[base + 2 * hw + i]))
                    func dot(_ k: [Dual], _ dr: Double, _ dg: Double, _ db: Double) -> Double {
                        var r = Dual(x.0, dr), gg = Dual(x.1, dg), b = Dual(x.2, db)
                        k.withUnsafeBufferPointer { F.apply(&r, &gg, &b, $0) }
                        return g.0 * r.d + g.1 * gg.d + g.2 * b.d
                    }
                    if images.requiresGrad {
                        gx[base + i] = Float(dot(plain, 1, 0, 0))
                        gx[base + hw + i] = Float(dot(plain, 0, 1, 0))
                        gx[base + 2 * hw + i] = Float(dot(plain, 0, 0, 1))
                    }
                    for j in 0..<seeded.count { acc[j] += dot(seeded[j], 0, 0, 0) }
                }
                for j in 0..<seeded.count { gp[s * np + j] = Float(acc[j]) }
            }
            if images.requiresGrad { images.accumulateGrad(gx) }
            if params.requiresGrad { params.accumulateGrad(gp) }
        }
    }
}
