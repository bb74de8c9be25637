import Dispatch

/// Splits flat loops over the machine's cores. Tensors below ``threshold`` elements run inline:
/// below that the dispatch cost (a few microseconds) outweighs the work.
public enum TensorParallel {
    /// Element count from which loops are split (64k).
    public static let threshold = 65_536
    /// Number of chunks a large loop is split into (the target machines have 2 cores).
    public static let chunks = 2

    private struct Box<T>: @unchecked Sendable { let value: T }

    /// Calls `body` on disjoint subranges covering `0..<count`: inline when `count < threshold`,
    /// else on ``chunks`` threads with `DispatchQueue.concurrentPerform`. `body` must only write
    /// the indices of its range.
    @inlinable
    public static func forRanges(_ count: Int, _ body: (Range<Int>) -> Void) {
        if count < threshold { body(0..<count); return }
        split(count, body)
    }

    @usableFromInline
    static func split(_ count: Int, _ body: (Range<Int>) -> Void) {
        splitIndexed(count) { _, r in body(r) }
    }

    /// Always splits `0..<count` into ``chunks`` ranges; `body(chunk, range)` runs on its own thread.
    @usableFromInline
    static func splitIndexed(_ count: Int, _ body: (Int, Range<Int>) -> Void) {
        withoutActuallyEscaping(body) { b in
            let box = Box(value: b)
            let n = chunks
            DispatchQueue.concurrentPerform(iterations: n) { i in
                box.value(i, (count * i / n)..<(count * (i + 1) / n))
            }
        }
    }
}

/// Elementwise kernels on raw buffers (auto-vectorised, split over cores for large arrays).
@usableFromInline
enum Kernels {
    /// `y[i] = f(x[i])`.
    @inlinable @inline(__always)
    static func map(_ x: [Float], _ f: (Float) -> Float) -> [Float] {
        let n = x.count
        return [Float](unsafeUninitializedCapacity: n) { buf, initialized in
            if n > 0 {
                x.withUnsafeBufferPointer { src in
                    let s = src.baseAddress!, d = buf.baseAddress!
                    if n < TensorParallel.threshold {
                        for i in 0..<n { d[i] = f(s[i]) }
                    } else {
                        TensorParallel.split(n) { r in for i in r { d[i] = f(s[i]) } }
                    }
                }
            }
            initialized = n
        }
    }

    /// `z[i] = f(x[i], y[i])`.
    @inlinable @inline(__always)
    static func zip(_ x: [Float], _ y: [Float], _ f: (Float, Float) -> Float) -> [Float] {
        precondition(x.count == y.count, "elementwise sizes differ: \(x.count) vs \(y.count)")
        let n = x.count
        return [Float](unsafeUninitializedCapacity: n) { buf, initialized in
            if n > 0 {
                x.withUnsafeBufferPointer { xs in
                    y.withUnsafeBufferPointer { ys in
                        let a = xs.baseAddress!, b = ys.baseAddress!, d = buf.baseAddress!
                        if n < TensorParallel.threshold {
                            for i in 0..<n { d[i] = f(a[i], b[i]) }
                        } else {
                            TensorParallel.split(n) { r in for i in r { d[i] = f(a[i], b[i]) } }
                        }
                    }
                }
            }
            initialized = n
        }
    }

    /// `w[i] = f(x[i], y[i], z[i])`.
    @inlinable @inline(__always)
    static func zip3(_ x: [Float], _ y: [Float], _ z: [Float], _ f: (Float, Float, Float) -> Float) -> [Float] {
        precondition(x.count == y.count && y.count == z.count, "elementwise sizes differ")
        let n = x.count
        return [Float](unsafeUninitializedCapacity: n) { buf, initialized in
            if n > 0 {
                x.withUnsafeBufferPointer { xs in
                    y.withUnsafeBufferPointer { ys in
                        z.withUnsafeBufferPointer { zs in
                            let a = xs.baseAddress!, b = ys.baseAddress!, c = zs.baseAddress!
                            let d = buf.baseAddress!
                            if n < TensorParallel.threshold {
                                for i in 0..<n { d[i] = f(a[i], b[i], c[i]) }
                            } else {
                                TensorParallel.split(n) { r in for i in r { d[i] = f(a[i], b[i], c[i]) } }
                            }
                        }
                    }
                }
            }
            initialized = n
        }
    }

    /// Sum of all values: Float partial sums over blocks of 4096 (vectorisable), blocks added in
    /// Double; large arrays are summed in ``TensorParallel/chunks`` parts on separate threads.
    static func sum(_ x: [Float]) -> Float {
        let n = x.count
        guard n > 0 else { return 0 }
        return x.withUnsafeBufferPointer { xs -> Float in
            let p = xs.baseAddress!
            func blockSum(_ r: Range<Int>) -> Double {
                var total = 0.0, i = r.lowerBound
                while i < r.upperBound {
                    let end = Swift.min(i + 4096, r.upperBound)
                    var acc: Float = 0
                    for j in i..<end { acc += p[j] }
                    total += Double(acc)
                    i = end
                }
                return total
            }
            if n < TensorParallel.threshold { return Float(blockSum(0..<n)) }
            var partial = [Double](repeating: 0, count: TensorParallel.chunks)
            partial.withUnsafeMutableBufferPointer { pp in
                TensorParallel.splitIndexed(n) { c, r in pp[c] = blockSum(r) }
            }
            return Float(partial.reduce(0, +))
        }
    }
}
