/// 2-D transposed convolution (PyTorch `conv_transpose2d`, oneDNN "deconvolution"), NCHW.
///
/// The adjoint of ``conv2d(_:_:bias:stride:padding:dilation:)`` in `x`: every input pixel scatters
/// `x[n,c,i,j] · w[c,o,p,q]` to `y[n, o, i·s - pad + p·dil, j·s - pad + q·dil]`, plus `bias[o]`.
/// `x`: [N, C, H, W]; `weight`: [C, O, KH, KW] (PyTorch layout); `bias`: [O].
/// Output: `OH = (H-1)·s - 2·pad + dil·(KH-1) + 1 + outputPadding`, `outputPadding < s`.
/// Differentiable in `x`, `weight` and `bias` (oneDNN backward-data / backward-weights primitives).
public func convTranspose2d(_ x: Tensor, _ weight: Tensor, bias: Tensor? = nil,
                            stride: (Int, Int), padding: (Int, Int), outputPadding: (Int, Int) = (0, 0),
                            dilation: (Int, Int) = (1, 1)) -> Tensor {
    let spec = ConvSpec(transposed: true, x: x.shape, weight: weight.shape, hasBias: bias != nil,
                        stride: stride, padding: padding, dilation: dilation, outputPadding: outputPadding,
                        op: "convTranspose2d")
    return convolution(x, weight, bias, spec)
}

/// ``convTranspose2d(_:_:bias:stride:padding:outputPadding:dilation:)`` with equal values on both axes.
public func convTranspose2d(_ x: Tensor, _ weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                            outputPadding: Int = 0, dilation: Int = 1) -> Tensor {
    convTranspose2d(x, weight, bias: bias, stride: (stride, stride), padding: (padding, padding),
                    outputPadding: (outputPadding, outputPadding), dilation: (dilation, dilation))
}

/// A transposed convolution layer: `weight` [in, out, kh, kw], optional `bias` [out].
/// Init: `U(±1/sqrt(out·kh·kw))` (PyTorch's fan-in for transposed weights), seeded.
public final class ConvTranspose2d: Module {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: (Int, Int), padding: (Int, Int), outputPadding: (Int, Int), dilation: (Int, Int)

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), outputPadding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1),
                bias: Bool = true, seed: UInt64 = 0) {
        let fanIn = outChannels * kernelSize.0 * kernelSize.1
        let bound = 1 / Float(fanIn).squareRoot()
        let shape = [inChannels, outChannels, kernelSize.0, kernelSize.1]
        weight = Tensor(shape: shape, data: convUniformInit(count: shape.reduce(1, *), bound: bound, seed: seed),
                        requiresGrad: true, name: "weight")
        self.bias = bias ? Tensor(shape: [outChannels], data: convUniformInit(count: outChannels, bound: bound, seed: seed ^ 0xB1A5),
                                  requiresGrad: true, name: "bias") : nil
        self.stride = stride; self.padding = padding; self.outputPadding = outputPadding; self.dilation = dilation
    }

    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            outputPadding: Int = 0, dilation: Int = 1, bias: Bool = true, seed: UInt64 = 0) {
        self.init(inChannels, outChannels, kernelSize: (kernelSize, kernelSize), stride: (stride, stride),
                  padding: (padding, padding), outputPadding: (outputPadding, outputPadding),
                  dilation: (dilation, dilation), bias: bias, seed: seed)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        convTranspose2d(x, weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding, dilation: dilation)
    }

    public func namedParameters() -> [(String, Tensor)] {
        var p = [("weight", weight)]
        if let bias { p.append(("bias", bias)) }
        return p
    }
}
