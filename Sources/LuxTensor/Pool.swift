/// Pooling output size: `OH = (H + 2·pad - KH) / stride + 1` (floor), as PyTorch with `ceil_mode = false`.
private func poolGeometry(_ x: Tensor, _ k: (Int, Int), _ s: (Int, Int), _ p: (Int, Int), _ op: String) -> (n: Int, c: Int, h: Int, w: Int, oh: Int, ow: Int) {
    precondition(x.rank == 4, "\(op): input must be NCHW, shape is \(x.shape)")
    precondition(k.0 > 0 && k.1 > 0 && s.0 > 0 && s.1 > 0, "\(op): kernel and stride must be positive")
    precondition(p.0 >= 0 && p.1 >= 0 && 2 * p.0 <= k.0 && 2 * p.1 <= k.1, "\(op): padding must be in 0...kernel/2")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let oh = (h + 2 * p.0 - k.0) / s.0 + 1, ow = (w + 2 * p.1 - k.1) / s.1 + 1
    precondition(oh > 0 && ow > 0, "\(op): kernel \(k) larger than padded input \(x.shape)")
    return (n, c, h, w, oh, ow)
}

/// Max pooling over `kernel` windows: `y[n,c,i,j] = max_{p,q} x[n, c, i·s - pad + p, j·s - pad + q]`
/// (padding never wins). Backward routes each output gradient to the (first) arg-max input.
public func maxPool2d(_ x: Tensor, kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Tensor {
    let s = stride ?? kernel
    let g = poolGeometry(x, kernel, s, padding, "maxPool2d")
    let planes = g.n * g.c, outCount = planes * g.oh * g.ow
    var argmax = [Int32](repeating: 0, count: outCount)
    var y = [Float](repeating: 0, count: outCount)
    x.data.withUnsafeBufferPointer { px in
        argmax.withUnsafeMutableBufferPointer { am in
            y.withUnsafeMutableBufferPointer { py in
                for pl in 0..<planes {
                    let base = pl * g.h * g.w
                    for i in 0..<g.oh {
                        let y0 = max(0, i * s.0 - padding.0), y1 = min(g.h, i * s.0 - padding.0 + kernel.0)
                        for j in 0..<g.ow {
                            let x0 = max(0, j * s.1 - padding.1), x1 = min(g.w, j * s.1 - padding.1 + kernel.1)
                            var best = -Float.infinity, bi = base + y0 * g.w + x0
                            for yy in y0..<y1 {
                                for xx in x0..<x1 where px[base + yy * g.w + xx] > best {
                                    best = px[base + yy * g.w + xx]; bi = base + yy * g.w + xx
                                }
                            }
                            let o = (pl * g.oh + i) * g.ow + j
                            py[o] = best; am[o] = Int32(bi)
                        }
                    }
                }
            }
        }
    }
    return Tensor.result(shape: [g.n, g.c, g.oh, g.ow], data: y, parents: [x]) { out in
        var gx = [Float](repeating: 0, count: x.count)
        let go = out.grad!
        for o in 0..<outCount { gx[Int(argmax[o])] += go[o] }
        x.accumulateGrad(gx)
    }
}

/// ``maxPool2d(_:kernel:stride:padding:)`` with equal values on both axes (stride defaults to kernel).
public func maxPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    maxPool2d(x, kernel: (kernel, kernel), stride: stride.map { ($0, $0) }, padding: (padding, padding))
}

/// Average pooling: `y = (1 / (KH·KW)) · Σ_{window} x`, padded positions count as zeros
/// (PyTorch's default `count_include_pad = true`). Backward spreads `g / (KH·KW)` over the window.
public func avgPool2d(_ x: Tensor, kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Tensor {
    let s = stride ?? kernel
    let g = poolGeometry(x, kernel, s, padding, "avgPool2d")
    let planes = g.n * g.c
    let scale = 1 / Float(kernel.0 * kernel.1)
    // Visits each (output, input) pair of a plane's windows.
    func windows(_ body: (_ o: Int, _ i: Int) -> Void) {
        for pl in 0..<planes {
            for i in 0..<g.oh {
                let y0 = max(0, i * s.0 - padding.0), y1 = min(g.h, i * s.0 - padding.0 + kernel.0)
                for j in 0..<g.ow {
                    let x0 = max(0, j * s.1 - padding.1), x1 = min(g.w, j * s.1 - padding.1 + kernel.1)
                    let o = (pl * g.oh + i) * g.ow + j
                    for yy in y0..<y1 { for xx in x0..<x1 { body(o, (pl * g.h + yy) * g.w + xx) } }
                }
            }
        }
    }
    var y = [Float](repeating: 0, count: planes * g.oh * g.ow)
    x.data.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in windows { o, i in py[o] += px[i] } }
    }
    for k in 0..<y.count { y[k] *= scale }
    return Tensor.result(shape: [g.n, g.c, g.oh, g.ow], data: y, parents: [x]) { out in
        var gx = [Float](repeating: 0, count: x.count)
        out.grad!.withUnsafeBufferPointer { go in
            gx.withUnsafeMutableBufferPointer { pg in windows { o, i in pg[i] += go[o] * scale } }
        }
        x.accumulateGrad(gx)
    }
}

/// ``avgPool2d(_:kernel:stride:padding:)`` with equal values on both axes (stride defaults to kernel).
public func avgPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    avgPool2d(x, kernel: (kernel, kernel), stride: stride.map { ($0, $0) }, padding: (padding, padding))
}

/// Global average pooling: [N, C, H, W] -> [N, C, 1, 1], `y[n,c] = mean_{h,w} x[n,c,h,w]`.
public func globalAvgPool2d(_ x: Tensor) -> Tensor {
    precondition(x.rank == 4, "globalAvgPool2d: input must be NCHW, shape is \(x.shape)")
    let planes = x.shape[0] * x.shape[1], hw = x.shape[2] * x.shape[3]
    let inv = 1 / Float(hw)
    var y = [Float](repeating: 0, count: planes)
    x.data.withUnsafeBufferPointer { px in
        for p in 0..<planes {
            var s: Float = 0
            for k in 0..<hw { s += px[p * hw + k] }
            y[p] = s * inv
        }
    }
    return Tensor.result(shape: [x.shape[0], x.shape[1], 1, 1], data: y, parents: [x]) { out in
        let go = out.grad!
        var gx = [Float](repeating: 0, count: x.count)
        for p in 0..<planes { let v = go[p] * inv; for k in 0..<hw { gx[p * hw + k] = v } }
        x.accumulateGrad(gx)
    }
}
