import Foundation
import LuxTensor

/// Sparse reads of feature maps at pixel positions: the paper trains on randomly sampled pixels, and
/// inference reads the low-resolution context at every full-resolution pixel.
public enum PointSampling {
    /// Bilinear samples of `map` (`[1, C, h, w]`) at continuous map coordinates (`x` in `0...w-1` at
    /// pixel centres; outside positions clamp to the border): `[P, C]` for P points. A tape op: the
    /// backward pass scatters each point's gradient to its four neighbours with the same weights.
    public static func bilinear(_ map: Tensor, at points: [SIMD2<Float>]) -> Tensor {
        precondition(map.rank == 4 && map.shape[0] == 1, "sample needs a [1, C, h, w] map, shape is \(map.shape)")
        let c = map.shape[1], h = map.shape[2], w = map.shape[3], hw = h * w
        let p = points.count
        // Four taps and weights per point.
        var idx = [Int32](repeating: 0, count: 4 * p), wt = [Float](repeating: 0, count: 4 * p)
        for (i, q) in points.enumerated() {
            let x = min(max(q.x, 0), Float(w - 1)), y = min(max(q.y, 0), Float(h - 1))
            let x0 = min(Int(x), w - 1), y0 = min(Int(y), h - 1)
            let x1 = min(x0 + 1, w - 1), y1 = min(y0 + 1, h - 1)
            let fx = x - Float(x0), fy = y - Float(y0)
            idx[4 * i] = Int32(y0 * w + x0); idx[4 * i + 1] = Int32(y0 * w + x1)
            idx[4 * i + 2] = Int32(y1 * w + x0); idx[4 * i + 3] = Int32(y1 * w + x1)
            wt[4 * i] = (1 - fx) * (1 - fy); wt[4 * i + 1] = fx * (1 - fy)
            wt[4 * i + 2] = (1 - fx) * fy; wt[4 * i + 3] = fx * fy
        }
        var out = [Float](repeating: 0, count: p * c)
        map.data.withUnsafeBufferPointer { m in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<p {
                    let i0 = Int(idx[4 * i]), i1 = Int(idx[4 * i + 1]), i2 = Int(idx[4 * i + 2]), i3 = Int(idx[4 * i + 3])
                    let w0 = wt[4 * i], w1 = wt[4 * i + 1], w2 = wt[4 * i + 2], w3 = wt[4 * i + 3]
                    for k in 0..<c {
                        let b = k * hw
                        o[i * c + k] = w0 * m[b + i0] + w1 * m[b + i1] + w2 * m[b + i2] + w3 * m[b + i3]
                    }
                }
            }
        }
        return Tensor.result(shape: [p, c], data: out, parents: [map]) { y in
            guard let g = y.grad else { return }
            var gm = [Float](repeating: 0, count: c * hw)
            for i in 0..<p {
                for t in 0..<4 {
                    let j = Int(idx[4 * i + t]), wv = wt[4 * i + t]
                    if wv == 0 { continue }
                    for k in 0..<c { gm[k * hw + j] += wv * g[i * c + k] }
                }
            }
            map.accumulateGrad(gm)
        }
    }

    /// Map coordinates of the centre of full-resolution pixel (`x`, `y`) of a `width` x `height` photo, in a
    /// map of `mapWidth` x `mapHeight` whose extent holds the photo at fractions `inset ... inset + scale`
    /// (0 and 1 when the map covers exactly the photo; a margin otherwise).
    @inline(__always) public static func mapCoordinate(x: Float, y: Float, width: Int, height: Int, mapWidth: Int, mapHeight: Int,
                                                       inset: SIMD2<Float> = .zero, scale: SIMD2<Float> = SIMD2(1, 1)) -> SIMD2<Float> {
        let fx = inset.x + (x + 0.5) / Float(width) * scale.x, fy = inset.y + (y + 0.5) / Float(height) * scale.y
        return SIMD2(fx * Float(mapWidth) - 0.5, fy * Float(mapHeight) - 0.5)
    }
}
