/// NumPy broadcasting: shapes are aligned at their trailing axes; a size-1 (or missing) axis
/// stretches to the other operand's size. `[2,3,4] + [3,1]` gives `[2,3,4]`.
enum Broadcast {
    /// The broadcast result shape, or a precondition failure naming both shapes.
    static func shape(_ a: [Int], _ b: [Int]) -> [Int] {
        let r = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: r)
        for i in 0..<r {
            let da = i < r - a.count ? 1 : a[i - (r - a.count)]
            let db = i < r - b.count ? 1 : b[i - (r - b.count)]
            precondition(da == db || da == 1 || db == 1, "shapes \(a) and \(b) do not broadcast")
            out[i] = da == 1 ? db : da
        }
        return out
    }

    /// Row-major strides of `shape`.
    static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) { s[i] = acc; acc *= shape[i] }
        return s
    }

    /// Strides of `shape` seen as `outShape` (same or lower rank): 0 on stretched axes.
    static func strides(_ shape: [Int], as outShape: [Int]) -> [Int] {
        let base = strides(shape)
        let pad = outShape.count - shape.count
        precondition(pad >= 0, "cannot broadcast \(shape) to \(outShape)")
        return (0..<outShape.count).map { i in
            i < pad || shape[i - pad] == 1 ? 0 : base[i - pad]
        }
    }

    /// Visits `outShape` row by row along its last axis. For each row, `body(o, a, b, n, sa, sb)`
    /// gets the flat output start `o`, the offsets `a`/`b` given by `stridesA`/`stridesB`, the row
    /// length `n` and the per-element steps `sa`/`sb` in the last axis. `rows` limits the visit to
    /// a range of row indices (default: all rows).
    @inline(__always)
    static func forEachRow(_ outShape: [Int], _ stridesA: [Int], _ stridesB: [Int], rows: Range<Int>? = nil,
                           _ body: (Int, Int, Int, Int, Int, Int) -> Void) {
        let r = outShape.count
        if r == 0 { if rows?.isEmpty != true { body(0, 0, 0, 1, 0, 0) }; return }
        let total = outShape.reduce(1, *)
        if total == 0 { return }
        let n = outShape[r - 1], sa = stridesA[r - 1], sb = stridesB[r - 1]
        let range = rows ?? 0..<(total / n)
        if range.isEmpty { return }
        // Odometer over axes 0..<r-1, started at row `range.lowerBound`.
        var idx = [Int](repeating: 0, count: r)
        var a = 0, b = 0, rem = range.lowerBound
        for d in stride(from: r - 2, through: 0, by: -1) {
            idx[d] = rem % outShape[d]; rem /= outShape[d]
            a += idx[d] * stridesA[d]; b += idx[d] * stridesB[d]
        }
        var o = range.lowerBound * n
        let end = range.upperBound * n
        while o < end {
            body(o, a, b, n, sa, sb)
            o += n
            var d = r - 2
            while d >= 0 {
                idx[d] += 1
                a += stridesA[d]; b += stridesB[d]
                if idx[d] < outShape[d] { break }
                a -= stridesA[d] * outShape[d]; b -= stridesB[d] * outShape[d]
                idx[d] = 0
                d -= 1
            }
        }
    }

    /// `f(x, y)` over the broadcast of two arrays.
    static func apply(_ x: [Float], _ xs: [Int], _ y: [Float], _ ys: [Int],
                      _ f: (Float, Float) -> Float) -> (data: [Float], shape: [Int]) {
        if xs == ys { return (Kernels.zip(x, y, f), xs) }
        let out = shape(xs, ys)
        let count = out.reduce(1, *)
        let sa = strides(xs, as: out), sb = strides(ys, as: out)
        let data = [Float](unsafeUninitializedCapacity: count) { buf, initialized in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    let d = buf.baseAddress, p = xp.baseAddress!, q = yp.baseAddress!
                    let rowLen = Swift.max(out.last ?? 1, 1), rowCount = count / rowLen
                    // Large outputs with several rows: rows split over threads.
                    if count >= TensorParallel.threshold && rowCount >= TensorParallel.chunks {
                        TensorParallel.split(rowCount) { rows in
                            forEachRow(out, sa, sb, rows: rows) { o, a, b, n, da, db in
                                for j in 0..<n { d![o + j] = f(p[a + j * da], q[b + j * db]) }
                            }
                        }
                    } else {
                        forEachRow(out, sa, sb) { o, a, b, n, da, db in
                            for j in 0..<n { d![o + j] = f(p[a + j * da], q[b + j * db]) }
                        }
                    }
                }
            }
            initialized = count
        }
        return (data, out)
    }

    /// `x` (shape `xs`) copied out to the larger `outShape`.
    static func expand(_ x: [Float], _ xs: [Int], to out: [Int]) -> [Float] {
        if xs == out { return x }
        let count = out.reduce(1, *)
        let sa = strides(xs, as: out)
        return [Float](unsafeUninitializedCapacity: count) { buf, initialized in
            x.withUnsafeBufferPointer { xp in
                let d = buf.baseAddress, p = xp.baseAddress!
                let rowLen = Swift.max(out.last ?? 1, 1), rowCount = count / rowLen
                if count >= TensorParallel.threshold && rowCount >= TensorParallel.chunks {
                    TensorParallel.split(rowCount) { rows in
                        forEachRow(out, sa, sa, rows: rows) { o, a, _, n, da, _ in
                            for j in 0..<n { d![o + j] = p[a + j * da] }
                        }
                    }
                } else {
                    forEachRow(out, sa, sa) { o, a, _, n, da, _ in
                        for j in 0..<n { d![o + j] = p[a + j * da] }
                    }
                }
            }
            initialized = count
        }
    }

    /// The un-broadcast of a gradient: sums `g` (shape `gs`) over the axes that broadcasting
    /// stretched, giving an array of shape `target`.
    static func reduce(_ g: [Float], _ gs: [Int], to target: [Int]) -> [Float] {
        if gs == target { return g }
        var out = [Float](repeating: 0, count: target.reduce(1, *))
        let st = strides(target, as: gs)
        out.withUnsafeMutableBufferPointer { dp in
            g.withUnsafeBufferPointer { gp in
                let d = dp.baseAddress!, p = gp.baseAddress!
                forEachRow(gs, st, st) { o, a, _, n, da, _ in
                    if da == 0 {
                        var acc: Float = 0
                        for j in 0..<n { acc += p[o + j] }
                        d[a] += acc
                    } else {
                        for j in 0..<n { d[a + j * da] += p[o + j] }
                    }
                }
            }
        }
        return out
    }
}
