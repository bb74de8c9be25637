import Foundation

extension Tensor {
    /// `max(x, 0)`. d/dx = 1 for x > 0, else 0.
    public func relu() -> Tensor { unaryOp({ Swift.max($0, 0) }) { x, _ in x > 0 ? 1 : 0 } }

    /// `x` for x > 0, `slope·x` otherwise (slope typically 0.01-0.2). d/dx = 1 or slope.
    ///
    /// Backward reads two arrays, not three: for slope > 0, `y > 0 ⇔ x > 0`, so the mask comes
    /// from the output (same values as `g · (x > 0 ? 1 : slope)`).
    public func leakyReLU(_ slope: Float = 0.01) -> Tensor {
        let y = Kernels.map(data) { $0 > 0 ? $0 : slope * $0 }
        return .result(shape: shape, data: y, parents: [self]) { out in
            let g = out.grad!
            if slope > 0 {
                self.accumulateGrad(Kernels.zip(g, out.data) { g, y in y > 0 ? g : slope * g })
            } else {
                self.accumulateGrad(Kernels.zip(g, self.data) { g, x in x > 0 ? g : slope * g })
            }
        }
    }

    /// `x` for x > 0, `α(eˣ − 1)` otherwise. d/dx = 1 or `y + α`.
    public func elu(_ alpha: Float = 1) -> Tensor {
        unaryOp({ $0 > 0 ? $0 : alpha * (Foundation.exp($0) - 1) }) { x, y in x > 0 ? 1 : y + alpha }
    }

    /// `tanh x`. d/dx = 1 − y².
    public func tanh() -> Tensor { unaryOp(Foundation.tanh) { _, y in 1 - y * y } }

    /// `1/(1 + e⁻ˣ)`, range (0, 1). d/dx = y(1 − y).
    public func sigmoid() -> Tensor {
        unaryOp({ 1 / (1 + Foundation.exp(-$0)) }) { _, y in y * (1 - y) }
    }

    /// `log(1 + eˣ)`, computed as `max(x,0) + log1p(e^-|x|)` (no overflow). d/dx = sigmoid(x).
    public func softplus() -> Tensor {
        unaryOp({ Swift.max($0, 0) + Foundation.log1p(Foundation.exp(-Swift.abs($0))) }) { x, _ in
            1 / (1 + Foundation.exp(-x))
        }
    }
}
