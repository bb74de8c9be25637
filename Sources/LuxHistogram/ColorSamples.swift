import LuxImage
import LuxTensor

/// A set of RGB colours, stored planar (`values[c * count + i]`): the pixels a transfer is planned on,
/// or the samples that stand for a target distribution.
public struct ColorSamples: Sendable, Equatable {
    public var count: Int
    public var values: [Float]

    public init(count: Int, values: [Float]) {
        precondition(values.count == 3 * count, "need 3 planes of \(count) values")
        self.count = count; self.values = values
    }

    /// The colour of sample `i`.
    public subscript(i: Int) -> SIMD3<Float> { SIMD3(values[i], values[count + i], values[2 * count + i]) }

    /// The RGB pixels of `image`, all of them when it has at most `limit`, else `limit` of them taken
    /// on a regular stride with a seeded random offset inside each stride (a stratified subsample).
    public init(image: Image, limit: Int = 1 << 20, seed: UInt64 = 0) {
        let n = image.planeCount
        if n <= limit {
            self.init(count: n, values: Array(image.pixels[0..<(3 * n)]))
            return
        }
        var rng = RNG(seed: seed)
        var idx = [Int](repeating: 0, count: limit)
        let stride = Double(n) / Double(limit)
        for i in 0..<limit { idx[i] = Swift.min(n - 1, Int((Double(i) + Double(rng.uniform())) * stride)) }
        var v = [Float](repeating: 0, count: 3 * limit)
        image.pixels.withUnsafeBufferPointer { p in
            for c in 0..<3 { for i in 0..<limit { v[c * limit + i] = p[c * n + idx[i]] } }
        }
        self.init(count: limit, values: v)
    }

    /// `count` samples distributed like the 3-D histogram `probabilities` (`bins`³ cells, index
    /// `(r·bins + g)·bins + b`, over `[0, 1]³`): cell `k` receives `round(p_k · count)` samples (largest
    /// remainders first so they add up), each placed uniformly at random inside its cell (seeded; kept 0.1 % of a cell away from its faces
    /// so that binning the samples again gives back exactly the allocated counts).
    public init(histogram probabilities: [Float], bins: Int, count: Int = 1 << 18, seed: UInt64 = 0) {
        precondition(probabilities.count == bins * bins * bins, "need bins³ probabilities")
        let total = probabilities.reduce(0) { $0 + Double(Swift.max($1, 0)) }
        precondition(total > 0, "an empty histogram has no samples")
        let exact = probabilities.map { Double(Swift.max($0, 0)) / total * Double(count) }
        var alloc = exact.map { Int($0) }
        var left = count - alloc.reduce(0, +)
        if left > 0 {
            let order = exact.indices.sorted { (exact[$0] - Double(alloc[$0]), $1) > (exact[$1] - Double(alloc[$1]), $0) }
            for k in order.prefix(left) { alloc[k] += 1 }
            left = 0
        }
        var rng = RNG(seed: seed)
        var v = [Float](repeating: 0, count: 3 * count)
        let w = 1 / Float(bins)
        var i = 0
        for k in 0..<alloc.count where alloc[k] > 0 {
            let r = k / (bins * bins), g = (k / bins) % bins, b = k % bins
            for _ in 0..<alloc[k] {
                v[i] = (Float(r) + rng.uniform(0.001, 0.999)) * w
                v[count + i] = (Float(g) + rng.uniform(0.001, 0.999)) * w
                v[2 * count + i] = (Float(b) + rng.uniform(0.001, 0.999)) * w
                i += 1
            }
        }
        self.init(count: count, values: v)
    }

    /// Per-channel mean and standard deviation.
    public func meanStd() -> (mean: SIMD3<Float>, std: SIMD3<Float>) {
        var m = SIMD3<Double>(repeating: 0), s = SIMD3<Double>(repeating: 0)
        for c in 0..<3 {
            var a = 0.0, b = 0.0
            for i in 0..<count { let x = Double(values[c * count + i]); a += x; b += x * x }
            m[c] = a / Double(count); s[c] = (Swift.max(0, b / Double(count) - m[c] * m[c])).squareRoot()
        }
        return (SIMD3<Float>(m), SIMD3<Float>(s))
    }
}
