import Foundation

extension Tensor {
    /// Splits the shape around `axis` into (outer, axis length, inner).
    func axisSplit(_ axis: Int) -> (outer: Int, len: Int, inner: Int, axis: Int) {
        let ax = axis < 0 ? axis + rank : axis
        precondition(ax >= 0 && ax < rank, "axis \(axis) out of range for shape \(shape)")
        return (shape[..<ax].reduce(1, *), shape[ax], shape[(ax + 1)...].reduce(1, *), ax)
    }

    /// Per (outer, inner) position: the max `m` along the axis and `s = Σ exp(x − m)`.
    private func maxAndExpSum(_ outer: Int, _ len: Int, _ inner: Int) -> (max: [Float], sum: [Float]) {
        var maxes = [Float](repeating: 0, count: outer * inner)
        var sums = maxes
        data.withUnsafeBufferPointer { x in
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * len * inner + i
                    var m = -Float.infinity
                    for k in 0..<len { m = Swift.max(m, x[base + k * inner]) }
                    var s: Float = 0
                    for k in 0..<len { s += Foundation.exp(x[base + k * inner] - m) }
                    maxes[o * inner + i] = m
                    sums[o * inner + i] = s
                }
            }
        }
        return (maxes, sums)
    }

    /// `yₖ = exp(xₖ − max) / Σⱼ exp(xⱼ − max)` along `axis` (values in (0, 1), summing to 1).
    /// Backward: `dx = y ⊙ (g − Σ g⊙y)`.
    public func softmax(axis: Int = -1) -> Tensor {
        let (outer, len, inner, _) = axisSplit(axis)
        let (m, s) = maxAndExpSum(outer, len, inner)
        var y = data
        for o in 0..<outer { for k in 0..<len { for i in 0..<inner {
            let j = (o * len + k) * inner + i, r = o * inner + i
            y[j] = Foundation.exp(y[j] - m[r]) / s[r]
        } } }
        return .result(shape: shape, data: y, parents: [self]) { out in
            let g = out.grad!, y = out.data
            var gx = [Float](repeating: 0, count: g.count)
            for o in 0..<outer { for i in 0..<inner {
                var dot: Float = 0
                for k in 0..<len { let j = (o * len + k) * inner + i; dot += g[j] * y[j] }
                for k in 0..<len { let j = (o * len + k) * inner + i; gx[j] = y[j] * (g[j] - dot) }
            } }
            self.accumulateGrad(gx)
        }
    }

    /// `yₖ = xₖ − log Σⱼ exp xⱼ` along `axis`. Backward: `dx = g − softmax ⊙ Σ g`.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        let (outer, len, inner, _) = axisSplit(axis)
        let (m, s) = maxAndExpSum(outer, len, inner)
        let logS = s.map { Foundation.log($0) }
        var y = data
        for o in 0..<outer { for k in 0..<len { for i in 0..<inner {
            let r = o * inner + i
            y[(o * len + k) * inner + i] = (y[(o * len + k) * inner + i] - m[r]) - logS[r]
        } } }
        return .result(shape: shape, data: y, parents: [self]) { out in
            let g = out.grad!, y = out.data
            var gx = [Float](repeating: 0, count: g.count)
            for o in 0..<outer { for i in 0..<inner {
                var s: Float = 0
                for k in 0..<len { s += g[(o * len + k) * inner + i] }
                for k in 0..<len { let j = (o * len + k) * inner + i; gx[j] = g[j] - Foundation.exp(y[j]) * s }
            } }
            self.accumulateGrad(gx)
        }
    }
}
