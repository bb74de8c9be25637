/// Shape ops: reshape, permute, concat, slice. All copy (storage is always contiguous).
extension Tensor {
    /// The same values with a new shape of equal count; one axis may be -1 (inferred).
    public func reshape(_ newShape: [Int]) -> Tensor {
        var s = newShape
        if let i = s.firstIndex(of: -1) {
            let known = s.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element }
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            s[i] = count / known
        }
        precondition(s.reduce(1, *) == count, "cannot reshape \(shape) (\(count) values) to \(newShape)")
        return .result(shape: s, data: data, parents: [self]) { out in
            self.accumulateGrad(out.grad!)
        }
    }

    /// Reorders axes: output axis `i` is input axis `order[i]` (e.g. NCHW→NHWC is `[0,2,3,1]`).
    public func permute(_ order: [Int]) -> Tensor {
        precondition(order.sorted() == Array(0..<rank), "permute order \(order) invalid for shape \(shape)")
        let outShape = order.map { shape[$0] }
        let inStrides = Broadcast.strides(shape)
        let st = order.map { inStrides[$0] }
        let y = [Float](unsafeUninitializedCapacity: count) { buf, initialized in
            data.withUnsafeBufferPointer { xp in
                Broadcast.forEachRow(outShape, st, st) { o, a, _, n, da, _ in
                    for j in 0..<n { buf[o + j] = xp[a + j * da] }
                }
            }
            initialized = count
        }
        return .result(shape: outShape, data: y, parents: [self]) { out in
            var g = [Float](repeating: 0, count: self.count)
            let og = out.grad!
            g.withUnsafeMutableBufferPointer { gp in
                Broadcast.forEachRow(outShape, st, st) { o, a, _, n, da, _ in
                    for j in 0..<n { gp[a + j * da] = og[o + j] }
                }
            }
            self.accumulateGrad(g)
        }
    }

    /// Concatenates tensors along `axis`; all other axes must match.
    public static func concat(_ xs: [Tensor], axis: Int) -> Tensor {
        precondition(!xs.isEmpty, "concat of no tensors")
        let first = xs[0]
        let ax = axis < 0 ? axis + first.rank : axis
        precondition(ax >= 0 && ax < first.rank, "concat axis \(axis) out of range for shape \(first.shape)")
        for x in xs {
            precondition(x.rank == first.rank && (0..<x.rank).allSatisfy { $0 == ax || x.shape[$0] == first.shape[$0] },
                         "concat: shape \(x.shape) does not match \(first.shape) off axis \(ax)")
        }
        let outer = first.shape[..<ax].reduce(1, *)
        let inner = first.shape[(ax + 1)...].reduce(1, *)
        let sizes = xs.map { $0.shape[ax] * inner }
        let rowLen = sizes.reduce(0, +)
        var outShape = first.shape
        outShape[ax] = xs.reduce(0) { $0 + $1.shape[ax] }
        var y = [Float](repeating: 0, count: outer * rowLen)
        var offset = 0
        for (x, n) in zip(xs, sizes) {
            for o in 0..<outer {
                y.withUnsafeMutableBufferPointer { yp in
                    x.data.withUnsafeBufferPointer { xp in
                        for j in 0..<n { yp[o * rowLen + offset + j] = xp[o * n + j] }
                    }
                }
            }
            offset += n
        }
        return .result(shape: outShape, data: y, parents: xs) { out in
            let g = out.grad!
            var off = 0
            for (x, n) in zip(xs, sizes) {
                if x.requiresGrad {
                    var gx = [Float](repeating: 0, count: outer * n)
                    for o in 0..<outer { for j in 0..<n { gx[o * n + j] = g[o * rowLen + off + j] } }
                    x.accumulateGrad(gx)
                }
                off += n
            }
        }
    }

    /// The sub-tensor `x[r0, r1, ...]`; axes without a range are taken whole.
    public func slice(_ ranges: [Range<Int>]) -> Tensor {
        precondition(ranges.count <= rank, "slice: \(ranges.count) ranges for shape \(shape)")
        let full = (0..<rank).map { i in i < ranges.count ? ranges[i] : 0..<shape[i] }
        for (i, r) in full.enumerated() {
            precondition(r.lowerBound >= 0 && r.upperBound <= shape[i], "slice \(r) out of bounds on axis \(i) of \(shape)")
        }
        let outShape = full.map(\.count)
        let st = Broadcast.strides(shape)
        let base = zip(full, st).reduce(0) { $0 + $1.0.lowerBound * $1.1 }
        let n = outShape.reduce(1, *)
        let y = [Float](unsafeUninitializedCapacity: n) { buf, initialized in
            data.withUnsafeBufferPointer { xp in
                Broadcast.forEachRow(outShape, st, st) { o, a, _, m, da, _ in
                    for j in 0..<m { buf[o + j] = xp[base + a + j * da] }
                }
            }
            initialized = n
        }
        return .result(shape: outShape, data: y, parents: [self]) { out in
            var g = [Float](repeating: 0, count: self.count)
            let og = out.grad!
            g.withUnsafeMutableBufferPointer { gp in
                Broadcast.forEachRow(outShape, st, st) { o, a, _, m, da, _ in
                    for j in 0..<m { gp[base + a + j * da] += og[o + j] }
                }
            }
            self.accumulateGrad(g)
        }
    }
}
