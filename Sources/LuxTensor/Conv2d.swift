import CDNNL

/// Geometry of a 2-D convolution or transposed convolution (deconvolution), in NCHW.
///
/// Convolution output size: `OH = (H + 2·pad - dil·(KH-1) - 1) / stride + 1` (floor).
/// Transposed: `OH = (H-1)·stride - 2·pad + dil·(KH-1) + 1 + outputPadding` (outputPadding < stride).
/// Weights are PyTorch-shaped: conv `[O, C, KH, KW]` (oneDNN oihw), transposed `[C, O, KH, KW]` (iohw).
struct ConvSpec {
    let transposed: Bool
    let n, c, h, w, o, kh, kw: Int
    let sh, sw, ph, pw, dh, dw: Int
    let oh, ow: Int
    let hasBias: Bool

    init(transposed: Bool, x: [Int], weight: [Int], hasBias: Bool,
         stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int), outputPadding: (Int, Int) = (0, 0),
         op: String) {
        precondition(x.count == 4, "\(op): input must be NCHW, shape is \(x)")
        precondition(weight.count == 4, "\(op): weight must be 4-D, shape is \(weight)")
        precondition(stride.0 > 0 && stride.1 > 0 && dilation.0 > 0 && dilation.1 > 0 && padding.0 >= 0 && padding.1 >= 0,
                     "\(op): stride/dilation must be positive and padding non-negative")
        self.transposed = transposed
        n = x[0]; c = x[1]; h = x[2]; w = x[3]
        let wc = transposed ? weight[0] : weight[1]
        precondition(wc == c, "\(op): input has \(c) channels but weight \(weight) expects \(wc)")
        o = transposed ? weight[1] : weight[0]
        kh = weight[2]; kw = weight[3]
        (sh, sw) = stride; (ph, pw) = padding; (dh, dw) = dilation
        self.hasBias = hasBias
        if transposed {
            precondition(outputPadding.0 >= 0 && outputPadding.0 < sh && outputPadding.1 >= 0 && outputPadding.1 < sw,
                         "\(op): output padding must be in 0..<stride")
            oh = (h - 1) * sh - 2 * ph + dh * (kh - 1) + 1 + outputPadding.0
            ow = (w - 1) * sw - 2 * pw + dw * (kw - 1) + 1 + outputPadding.1
        } else {
            oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1
            ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1
        }
        precondition(oh > 0 && ow > 0, "\(op): empty output for input \(x) and weight \(weight)")
    }

    var outShape: [Int] { [n, o, oh, ow] }
    var weightShape: [Int] { transposed ? [c, o, kh, kw] : [o, c, kh, kw] }
    var key: String {
        "\(transposed ? "deconv" : "conv") \(n),\(c),\(h),\(w) o\(o) k\(kh)x\(kw) s\(sh),\(sw) p\(ph),\(pw) d\(dh),\(dw) o\(oh),\(ow) b\(hasBias)"
    }

    // Descriptors: plain (user) and `any` (primitive's choice).
    var srcMD: dnnl_memory_desc_t { DNNL.md([n, c, h, w], dnnl_nchw) }
    var dstMD: dnnl_memory_desc_t { DNNL.md([n, o, oh, ow], dnnl_nchw) }
    var wMD: dnnl_memory_desc_t { DNNL.md([o, c, kh, kw], transposed ? dnnl_iohw : dnnl_oihw) }
    var bMD: dnnl_memory_desc_t { DNNL.md([o], dnnl_a) }

    private enum Kind { case forward, backwardData, backwardWeights }

    private func makePrimitive(_ kind: Kind, hint: DNNLPrimitive?) -> DNNLPrimitive {
        var src = DNNL.md([n, c, h, w], DNNL.activationTag)
        var dst = DNNL.md([n, o, oh, ow], DNNL.activationTag)
        var wt = DNNL.md([o, c, kh, kw], dnnl_format_tag_any)
        var bias = DNNL.md([o], dnnl_format_tag_any)
        let strides: [Int64] = [Int64(sh), Int64(sw)]
        let dil: [Int64] = [Int64(dh - 1), Int64(dw - 1)]   // oneDNN counts dilation from 0
        let pad: [Int64] = [Int64(ph), Int64(pw)]
        let alg = transposed ? dnnl_deconvolution_direct : dnnl_convolution_direct
        var d = dnnl_convolution_desc_t()
        let name = "\(key) \(kind)"
        switch kind {
        case .forward:
            let st: dnnl_status_t
            if transposed {
                st = hasBias ? dnnl_dilated_deconvolution_forward_desc_init(&d, dnnl_forward_training, alg, &src, &wt, &bias, &dst, strides, dil, pad, pad)
                             : dnnl_dilated_deconvolution_forward_desc_init(&d, dnnl_forward_training, alg, &src, &wt, nil, &dst, strides, dil, pad, pad)
            } else {
                st = hasBias ? dnnl_dilated_convolution_forward_desc_init(&d, dnnl_forward_training, alg, &src, &wt, &bias, &dst, strides, dil, pad, pad)
                             : dnnl_dilated_convolution_forward_desc_init(&d, dnnl_forward_training, alg, &src, &wt, nil, &dst, strides, dil, pad, pad)
            }
            DNNL.check(st, "\(name) desc_init")
            var slots = [DNNLSlot(arg: DNNL_ARG_SRC, userMD: srcMD, isOutput: false),
                         DNNLSlot(arg: DNNL_ARG_WEIGHTS, userMD: wMD, isOutput: false)]
            if hasBias { slots.append(DNNLSlot(arg: DNNL_ARG_BIAS, userMD: bMD, isOutput: false)) }
            slots.append(DNNLSlot(arg: DNNL_ARG_DST, userMD: dstMD, isOutput: true))
            return DNNLPrimitive(name: name, opDesc: &d, hint: nil, slots: slots)
        case .backwardData:
            let st = transposed
                ? dnnl_dilated_deconvolution_backward_data_desc_init(&d, alg, &src, &wt, &dst, strides, dil, pad, pad)
                : dnnl_dilated_convolution_backward_data_desc_init(&d, alg, &src, &wt, &dst, strides, dil, pad, pad)
            DNNL.check(st, "\(name) desc_init")
            return DNNLPrimitive(name: name, opDesc: &d, hint: hint, slots: [
                DNNLSlot(arg: DNNL_ARG_DIFF_DST, userMD: dstMD, isOutput: false),
                DNNLSlot(arg: DNNL_ARG_WEIGHTS, userMD: wMD, isOutput: false),
                DNNLSlot(arg: DNNL_ARG_DIFF_SRC, userMD: srcMD, isOutput: true)])
        case .backwardWeights:
            let st: dnnl_status_t
            if transposed {
                st = hasBias ? dnnl_dilated_deconvolution_backward_weights_desc_init(&d, alg, &src, &wt, &bias, &dst, strides, dil, pad, pad)
                             : dnnl_dilated_deconvolution_backward_weights_desc_init(&d, alg, &src, &wt, nil, &dst, strides, dil, pad, pad)
            } else {
                st = hasBias ? dnnl_dilated_convolution_backward_weights_desc_init(&d, alg, &src, &wt, &bias, &dst, strides, dil, pad, pad)
                             : dnnl_dilated_convolution_backward_weights_desc_init(&d, alg, &src, &wt, nil, &dst, strides, dil, pad, pad)
            }
            DNNL.check(st, "\(name) desc_init")
            var slots = [DNNLSlot(arg: DNNL_ARG_SRC, userMD: srcMD, isOutput: false),
                         DNNLSlot(arg: DNNL_ARG_DIFF_DST, userMD: dstMD, isOutput: false),
                         DNNLSlot(arg: DNNL_ARG_DIFF_WEIGHTS, userMD: wMD, isOutput: true)]
            if hasBias { slots.append(DNNLSlot(arg: DNNL_ARG_DIFF_BIAS, userMD: bMD, isOutput: true)) }
            return DNNLPrimitive(name: name, opDesc: &d, hint: hint, slots: slots)
        }
    }

    func forwardPrimitive() -> DNNLPrimitive {
        DNNL.primitive(key + " fwd") { makePrimitive(.forward, hint: nil) }
    }
    func backwardDataPrimitive() -> DNNLPrimitive {
        let hint = forwardPrimitive()
        return DNNL.primitive(key + " bwd_data") { makePrimitive(.backwardData, hint: hint) }
    }
    func backwardWeightsPrimitive() -> DNNLPrimitive {
        let hint = forwardPrimitive()
        return DNNL.primitive(key + " bwd_weights") { makePrimitive(.backwardWeights, hint: hint) }
    }
}

/// Runs a (transposed) convolution with oneDNN and records its backward rule.
func convolution(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ spec: ConvSpec) -> Tensor {
    if let bias { precondition(bias.shape == [spec.o], "conv: bias shape \(bias.shape) should be [\(spec.o)]") }
    let fwd = spec.forwardPrimitive()
    var inputs = [x.data, weight.data]
    if let bias { inputs.append(bias.data) }
    // Keep the forward pass's reordered input for backward-weights (one activation reorder less).
    let keepSrc = GradMode.isEnabled && (weight.requiresGrad || (bias?.requiresGrad ?? false))
    var saved: [Int32: DNNLBuffer] = [:]
    let y = makeArray(spec.outShape.reduce(1, *)) { dst in
        withRawPointers(inputs) { saved = fwd.execute($0 + [dst], export: keepSrc ? [DNNL_ARG_SRC] : []) }
    }
    let parents = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.result(shape: spec.outShape, data: y, parents: parents) { out in
        let g = out.grad!
        DNNL.lock.lock(); defer { DNNL.lock.unlock() }
        var diffDst: [Int32: DNNLBuffer] = [:]
        let needWeights = weight.requiresGrad || (bias?.requiresGrad ?? false)
        if x.requiresGrad {
            let bd = spec.backwardDataPrimitive()
            let gx = makeArray(x.count) { dsrc in
                withRawPointers([g, weight.data]) {
                    // Share the reordered output gradient with backward-weights.
                    diffDst = bd.execute($0 + [dsrc], export: needWeights ? [DNNL_ARG_DIFF_DST] : [])
                }
            }
            x.accumulateGrad(gx)
        }
        if needWeights {
            let bw = spec.backwardWeightsPrimitive()
            var provided = diffDst
            if let src = saved[DNNL_ARG_SRC] { provided[DNNL_ARG_SRC] = src }
            var gb: [Float] = []
            let gw = makeArray(weight.count) { dw in
                withRawPointers([x.data, g]) { ins in
                    if spec.hasBias {
                        gb = makeArray(spec.o) { db in bw.execute(ins + [dw, db], provided: provided) }
                    } else {
                        bw.execute(ins + [dw], provided: provided)
                    }
                }
            }
            if weight.requiresGrad { weight.accumulateGrad(gw) }
            if let bias, bias.requiresGrad { bias.accumulateGrad(gb) }
        }
    }
}

/// 2-D cross-correlation (PyTorch `conv2d`), NCHW, via oneDNN (blocked layouts inside).
///
/// `y[n,o,i,j] = bias[o] + Σ_{c,p,q} x[n, c, i·s - pad + p·dil, j·s - pad + q·dil] · w[o,c,p,q]`
/// (out-of-range x reads are zero). `x`: [N, C, H, W]; `weight`: [O, C, KH, KW]; `bias`: [O].
/// Differentiable in `x`, `weight` and `bias`.
public func conv2d(_ x: Tensor, _ weight: Tensor, bias: Tensor? = nil,
                   stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int) = (1, 1)) -> Tensor {
    let spec = ConvSpec(transposed: false, x: x.shape, weight: weight.shape, hasBias: bias != nil,
                        stride: stride, padding: padding, dilation: dilation, op: "conv2d")
    return convolution(x, weight, bias, spec)
}

/// ``conv2d(_:_:bias:stride:padding:dilation:)`` with the same stride/padding/dilation on both axes.
public func conv2d(_ x: Tensor, _ weight: Tensor, bias: Tensor? = nil,
                   stride: Int = 1, padding: Int = 0, dilation: Int = 1) -> Tensor {
    conv2d(x, weight, bias: bias, stride: (stride, stride), padding: (padding, padding), dilation: (dilation, dilation))
}

/// Uniform `U(-bound, bound)` values from a SplitMix64 stream (deterministic layer init until
/// the shared RNG lands; PyTorch's default conv init is this with `bound = 1/sqrt(fanIn)`).
func convUniformInit(count: Int, bound: Float, seed: UInt64) -> [Float] {
    var state = seed &+ 0x9E37_79B9_7F4A_7C15
    return (0..<count).map { _ in
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        let u = Float(z >> 40) / Float(1 << 24)   // [0, 1)
        return (2 * u - 1) * bound
    }
}

/// A 2-D convolution layer: `weight` [out, in, kh, kw], optional `bias` [out].
/// Init: PyTorch default, `U(±1/sqrt(in·kh·kw))` for weight and bias, seeded.
public final class Conv2d: Module {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), bias: Bool = true, seed: UInt64 = 0) {
        let fanIn = inChannels * kernelSize.0 * kernelSize.1
        let bound = 1 / Float(fanIn).squareRoot()
        let shape = [outChannels, inChannels, kernelSize.0, kernelSize.1]
        weight = Tensor(shape: shape, data: convUniformInit(count: shape.reduce(1, *), bound: bound, seed: seed),
                        requiresGrad: true, name: "weight")
        self.bias = bias ? Tensor(shape: [outChannels], data: convUniformInit(count: outChannels, bound: bound, seed: seed ^ 0xB1A5),
                                  requiresGrad: true, name: "bias") : nil
        self.stride = stride; self.padding = padding; self.dilation = dilation
    }

    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            dilation: Int = 1, bias: Bool = true, seed: UInt64 = 0) {
        self.init(inChannels, outChannels, kernelSize: (kernelSize, kernelSize), stride: (stride, stride),
                  padding: (padding, padding), dilation: (dilation, dilation), bias: bias, seed: seed)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        conv2d(x, weight, bias: bias, stride: stride, padding: padding, dilation: dilation)
    }

    public func namedParameters() -> [(String, Tensor)] {
        var p = [("weight", weight)]
        if let bias { p.append(("bias", bias)) }
        return p
    }
}
