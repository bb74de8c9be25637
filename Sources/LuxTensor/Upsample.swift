/// Integer-factor 2-D up-sampling of NCHW tensors (plain Swift; memory-bound, no oneDNN needed).
public enum UpsampleMode: Sendable {
    /// `y[i, j] = x[i / f, j / f]`.
    case nearest
    /// Bilinear with half-pixel centres (PyTorch `align_corners = false`): source coordinate
    /// `u = (i + 0.5) / f - 0.5`, clamped to `[0, H-1]`, then linear weights between `floor(u)` and
    /// `floor(u) + 1` (the latter clamped to the edge).
    case bilinear
}

/// Up-samples [N, C, H, W] to [N, C, H·factor, W·factor]. Differentiable in `x`: the backward pass
/// is the exact adjoint of the (linear) forward map.
public func upsample2d(_ x: Tensor, factor: Int, mode: UpsampleMode = .nearest) -> Tensor {
    precondition(x.rank == 4, "upsample2d: input must be NCHW, shape is \(x.shape)")
    precondition(factor >= 1, "upsample2d: factor must be >= 1, got \(factor)")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let oh = h * factor, ow = w * factor, planes = n * c
    // Per output row/column: two source indices and the weight of the second.
    func taps(_ size: Int, _ outSize: Int) -> [(Int, Int, Float)] {
        (0..<outSize).map { i in
            switch mode {
            case .nearest:
                return (i / factor, i / factor, 0)
            case .bilinear:
                let u = max(0, (Float(i) + 0.5) / Float(factor) - 0.5)
                let i0 = min(Int(u), size - 1)
                let i1 = min(i0 + 1, size - 1)
                return (i0, i1, u - Float(i0))
            }
        }
    }
    let ty = taps(h, oh), tx = taps(w, ow)
    var y = [Float](repeating: 0, count: planes * oh * ow)
    x.data.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in
            for p in 0..<planes {
                let src = px.baseAddress! + p * h * w
                let dst = py.baseAddress! + p * oh * ow
                for i in 0..<oh {
                    let (r0, r1, a) = ty[i]
                    for j in 0..<ow {
                        let (c0, c1, b) = tx[j]
                        let top = src[r0 * w + c0] * (1 - b) + src[r0 * w + c1] * b
                        let bot = src[r1 * w + c0] * (1 - b) + src[r1 * w + c1] * b
                        dst[i * ow + j] = top * (1 - a) + bot * a
                    }
                }
            }
        }
    }
    return Tensor.result(shape: [n, c, oh, ow], data: y, parents: [x]) { out in
        var gx = [Float](repeating: 0, count: x.count)
        out.grad!.withUnsafeBufferPointer { go in
            gx.withUnsafeMutableBufferPointer { pg in
                for p in 0..<planes {
                    let src = go.baseAddress! + p * oh * ow
                    let dst = pg.baseAddress! + p * h * w
                    for i in 0..<oh {
                        let (r0, r1, a) = ty[i]
                        for j in 0..<ow {
                            let (c0, c1, b) = tx[j]
                            let g = src[i * ow + j]
                            dst[r0 * w + c0] += g * (1 - a) * (1 - b)
                            dst[r0 * w + c1] += g * (1 - a) * b
                            dst[r1 * w + c0] += g * a * (1 - b)
                            dst[r1 * w + c1] += g * a * b
                        }
                    }
                }
            }
        }
        x.accumulateGrad(gx)
    }
}
