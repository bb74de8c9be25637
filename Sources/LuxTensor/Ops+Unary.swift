import Foundation

extension Tensor {
    /// An elementwise op `y = f(x)` whose derivative `df(x, y)` may use the input and the output.
    @inline(__always)
    public func unaryOp(_ f: (Float) -> Float, derivative df: @escaping (Float, Float) -> Float) -> Tensor {
        let y = Kernels.map(data, f)
        return .result(shape: shape, data: y, parents: [self]) { out in
            self.accumulateGrad(Kernels.zip3(out.grad!, self.data, out.data) { g, x, y in g * df(x, y) })
        }
    }

    /// `eˣ`. d/dx = y.
    public func exp() -> Tensor { unaryOp(Foundation.exp) { _, y in y } }
    /// Natural log, `x > 0`. d/dx = 1/x.
    public func log() -> Tensor { unaryOp(Foundation.log) { x, _ in 1 / x } }
    /// `xᵖ` for a scalar exponent (x > 0 unless p is an integer). d/dx = p·xᵖ⁻¹.
    public func pow(_ p: Float) -> Tensor {
        if p == 2 { return unaryOp({ $0 * $0 }) { x, _ in 2 * x } }
        return unaryOp({ Foundation.pow($0, p) }) { x, _ in p * Foundation.pow(x, p - 1) }
    }
    /// `√x`, `x ≥ 0`. d/dx = 1/(2y).
    public func sqrt() -> Tensor { unaryOp(Foundation.sqrt) { _, y in 0.5 / y } }
    /// `|x|`. d/dx = sign(x) (0 at 0).
    public func abs() -> Tensor {
        unaryOp(Swift.abs) { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) }
    }
    /// `min(max(x, lo), hi)`. d/dx = 1 inside `[lo, hi]`, 0 where clipped.
    public func clamp(min lo: Float = -.infinity, max hi: Float = .infinity) -> Tensor {
        precondition(lo <= hi, "clamp: min \(lo) > max \(hi)")
        return unaryOp({ Swift.min(Swift.max($0, lo), hi) }) { x, _ in x >= lo && x <= hi ? 1 : 0 }
    }
}
