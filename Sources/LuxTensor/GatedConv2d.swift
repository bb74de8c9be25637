import Foundation

/// `a ⊙ σ(b)` with `σ(t) = 1 / (1 + e^{-t})`, fused with its backward rule:
/// `∂/∂a = g ⊙ σ(b)`, `∂/∂b = g ⊙ a ⊙ σ(b)(1 - σ(b))`.
/// (Kept private to this layer until the shared elementwise ops exist.)
private func gate(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "gate: shapes differ, \(a.shape) vs \(b.shape)")
    let s = b.data.map { 1 / (1 + exp(-$0)) }
    let y = zip(a.data, s).map { $0 * $1 }
    return Tensor.result(shape: a.shape, data: y, parents: [a, b]) { out in
        let g = out.grad!
        if a.requiresGrad { a.accumulateGrad(zip(g, s).map { $0 * $1 }) }
        if b.requiresGrad {
            var gb = [Float](repeating: 0, count: g.count)
            for i in 0..<g.count { gb[i] = g[i] * a.data[i] * s[i] * (1 - s[i]) }
            b.accumulateGrad(gb)
        }
    }
}

/// Gated convolution (Yu et al., "Free-Form Image Inpainting with Gated Convolution", 2019):
/// `y = conv_f(x) ⊙ σ(conv_g(x))`, two convolutions of identical geometry; the gate learns a
/// soft per-pixel, per-channel mask in (0, 1). Parameters: "feature.weight", "feature.bias",
/// "gate.weight", "gate.bias".
public final class GatedConv2d: Module {
    public let feature: Conv2d
    public let gate: Conv2d

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, bias: Bool = true, seed: UInt64 = 0) {
        feature = Conv2d(inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                         dilation: dilation, bias: bias, seed: seed)
        gate = Conv2d(inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                      dilation: dilation, bias: bias, seed: seed &+ 0x6A7E)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        LuxTensor.gate(feature(x), gate(x))
    }

    public func namedParameters() -> [(String, Tensor)] {
        feature.namedParameters().map { ("feature." + $0.0, $0.1) } + gate.namedParameters().map { ("gate." + $0.0, $0.1) }
    }
}
