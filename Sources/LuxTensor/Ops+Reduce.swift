/// Reductions over all elements or along axes. Negative axes count from the end (-1 = last).
extension Tensor {
    /// Normalised, sorted, unique axes; precondition-fails on out-of-range axes.
    func normalizedAxes(_ axes: [Int]) -> [Int] {
        let r = Swift.max(rank, 1)
        let out = Set(axes.map { a -> Int in
            let n = a < 0 ? a + r : a
            precondition(n >= 0 && n < r, "axis \(a) out of range for shape \(shape)")
            return n
        })
        return out.sorted()
    }

    /// Shape with the reduced axes set to 1, and the final shape (kept or dropped).
    private func reducedShapes(_ axes: [Int], _ keepDims: Bool) -> (kept: [Int], final: [Int]) {
        let ax = Set(axes)
        let kept = shape.enumerated().map { ax.contains($0.offset) ? 1 : $0.element }
        let final = keepDims ? kept : shape.enumerated().filter { !ax.contains($0.offset) }.map(\.element)
        return (kept, final)
    }

    /// Sum of all elements, shape `[]`. d/dx = 1.
    public func sum() -> Tensor {
        .result(shape: [], data: [Kernels.sum(data)], parents: [self]) { out in
            let g = out.grad![0]
            self.accumulateGrad([Float](repeating: g, count: self.count))
        }
    }

    /// Sum along `axes`; reduced axes are kept as size 1 when `keepDims`.
    public func sum(axes: [Int], keepDims: Bool = false) -> Tensor {
        let ax = normalizedAxes(axes)
        let (kept, final) = reducedShapes(ax, keepDims)
        let y = Broadcast.reduce(data, shape, to: kept)
        return .result(shape: final, data: y, parents: [self]) { out in
            self.accumulateGrad(Broadcast.expand(out.grad!, kept, to: self.shape))
        }
    }

    /// Mean of all elements, shape `[]`.
    public func mean() -> Tensor { sum() * (1 / Float(Swift.max(count, 1))) }

    /// Mean along `axes`.
    public func mean(axes: [Int], keepDims: Bool = false) -> Tensor {
        let ax = normalizedAxes(axes)
        let n = ax.reduce(1) { $0 * shape[$1] }
        return sum(axes: ax, keepDims: keepDims) * (1 / Float(Swift.max(n, 1)))
    }

    /// Maximum of all elements, shape `[]`. The gradient goes to the first maximal element.
    public func max() -> Tensor { max(axes: Array(0..<rank), keepDims: false) }

    /// Maximum along `axes`. The gradient of each output goes to the first maximal input.
    public func max(axes: [Int], keepDims: Bool = false) -> Tensor {
        precondition(count > 0, "max of an empty tensor")
        let ax = normalizedAxes(axes)
        let (kept, final) = reducedShapes(ax, keepDims)
        let m = kept.reduce(1, *)
        var best = [Float](repeating: -.infinity, count: m)
        var arg = [Int](repeating: -1, count: m)
        let st = Broadcast.strides(kept, as: shape)
        data.withUnsafeBufferPointer { xp in
            best.withUnsafeMutableBufferPointer { bp in
                arg.withUnsafeMutableBufferPointer { ap in
                    Broadcast.forEachRow(shape, st, st) { o, a, _, n, da, _ in
                        for j in 0..<n {
                            let v = xp[o + j], k = a + j * da
                            if v > bp[k] || ap[k] < 0 { bp[k] = v; ap[k] = o + j }
                        }
                    }
                }
            }
        }
        return .result(shape: final, data: best, parents: [self]) { out in
            var g = [Float](repeating: 0, count: self.count)
            let og = out.grad!
            for k in 0..<m { g[arg[k]] += og[k] }
            self.accumulateGrad(g)
        }
    }
}
