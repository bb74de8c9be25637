/// Elementwise arithmetic with NumPy broadcasting (see `Broadcast`). Gradients of a broadcast
/// operand are summed over the stretched axes, so they always have the operand's shape.
extension Tensor {
    /// `a + b`, broadcast. d/da = 1, d/db = 1.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let (y, shape) = Broadcast.apply(a.data, a.shape, b.data, b.shape, +)
        return .result(shape: shape, data: y, parents: [a, b]) { out in
            let g = out.grad!
            if a.requiresGrad { a.accumulateGrad(Broadcast.reduce(g, shape, to: a.shape)) }
            if b.requiresGrad { b.accumulateGrad(Broadcast.reduce(g, shape, to: b.shape)) }
        }
    }

    /// `a - b`, broadcast. d/da = 1, d/db = -1.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let (y, shape) = Broadcast.apply(a.data, a.shape, b.data, b.shape, -)
        return .result(shape: shape, data: y, parents: [a, b]) { out in
            let g = out.grad!
            if a.requiresGrad { a.accumulateGrad(Broadcast.reduce(g, shape, to: a.shape)) }
            if b.requiresGrad { b.accumulateGrad(Broadcast.reduce(Kernels.map(g, -), shape, to: b.shape)) }
        }
    }

    /// `a * b`, broadcast. d/da = b, d/db = a.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let (y, shape) = Broadcast.apply(a.data, a.shape, b.data, b.shape, *)
        return .result(shape: shape, data: y, parents: [a, b]) { out in
            let g = out.grad!
            if a.requiresGrad {
                let bx = Broadcast.expand(b.data, b.shape, to: shape)
                a.accumulateGrad(Broadcast.reduce(Kernels.zip(g, bx, *), shape, to: a.shape))
            }
            if b.requiresGrad {
                let ax = Broadcast.expand(a.data, a.shape, to: shape)
                b.accumulateGrad(Broadcast.reduce(Kernels.zip(g, ax, *), shape, to: b.shape))
            }
        }
    }

    /// `a / b`, broadcast. d/da = 1/b, d/db = -a/b² = -y/b.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let (y, shape) = Broadcast.apply(a.data, a.shape, b.data, b.shape, /)
        return .result(shape: shape, data: y, parents: [a, b]) { out in
            let g = out.grad!
            let bx = Broadcast.expand(b.data, b.shape, to: shape)
            if a.requiresGrad {
                a.accumulateGrad(Broadcast.reduce(Kernels.zip(g, bx, /), shape, to: a.shape))
            }
            if b.requiresGrad {
                let gb = Kernels.zip3(g, out.data, bx) { g, y, b in -g * y / b }
                b.accumulateGrad(Broadcast.reduce(gb, shape, to: b.shape))
            }
        }
    }

    /// `-x`.
    public static prefix func - (x: Tensor) -> Tensor { x * Float(-1) }
    /// `-x`.
    public func neg() -> Tensor { -self }

    // MARK: Scalars

    /// `x + s`.
    public static func + (x: Tensor, s: Float) -> Tensor {
        .result(shape: x.shape, data: Kernels.map(x.data) { $0 + s }, parents: [x]) { out in
            x.accumulateGrad(out.grad!)
        }
    }
    public static func + (s: Float, x: Tensor) -> Tensor { x + s }
    /// `x - s`.
    public static func - (x: Tensor, s: Float) -> Tensor { x + (-s) }
    /// `s - x`.
    public static func - (s: Float, x: Tensor) -> Tensor { (x * Float(-1)) + s }

    /// `x * s`.
    public static func * (x: Tensor, s: Float) -> Tensor {
        .result(shape: x.shape, data: Kernels.map(x.data) { $0 * s }, parents: [x]) { out in
            x.accumulateGrad(Kernels.map(out.grad!) { $0 * s })
        }
    }
    public static func * (s: Float, x: Tensor) -> Tensor { x * s }
    /// `x / s`.
    public static func / (x: Tensor, s: Float) -> Tensor { x * (1 / s) }
    /// `s / x`. d/dx = -s/x² = -y/x.
    public static func / (s: Float, x: Tensor) -> Tensor {
        .result(shape: x.shape, data: Kernels.map(x.data) { s / $0 }, parents: [x]) { out in
            x.accumulateGrad(Kernels.zip3(out.grad!, out.data, x.data) { g, y, x in -g * y / x })
        }
    }
}
