import Foundation
import LuxTensor

/// One gated convolution block of DeepFill v2: `ELU(conv_f(x)) ⊙ σ(conv_g(x))` (``LuxTensor/GatedConv2d``'s
/// two convolutions, with the ELU feature activation of Yu et al. 2019; composed from primitive ops).
final class GatedBlock: Module {
    let conv: GatedConv2d
    init(_ i: Int, _ o: Int, stride: Int = 1, dilation: Int = 1, seed: UInt64) {
        conv = GatedConv2d(i, o, kernelSize: 3, stride: stride, padding: dilation, dilation: dilation, seed: seed)
    }
    func callAsFunction(_ x: Tensor) -> Tensor { conv.feature(x).elu() * conv.gate(x).sigmoid() }
    func namedParameters() -> [(String, Tensor)] { conv.namedParameters() }
}

/// The hallucination network: a 3-level U-Net of gated convolutions with skip connections and a
/// dilated bottleneck (rates 2, 4).
///
/// Input [N, 4, H, W] (H, W multiples of 4): `√x` of the linear RGB (exposure units, clip at 1) and the
/// soft clipping mask α. Output [N, 3, H, W]: raw values `o`; the predicted log radiance ratio is
/// `r = softplus(o) ≥ 0` (radiance never below what was observed) and the reconstruction
/// `Ĥ = x · exp(α · r)` (``compose(linear:mask:raw:)``): exactly `x` where α = 0.
public final class HallucinationNet: Module {
    public let config: HDRConfig
    let e1a: GatedBlock, e1b: GatedBlock, e2a: GatedBlock, e2b: GatedBlock, e3: GatedBlock
    let b1: GatedBlock, b2: GatedBlock, d2: GatedBlock, d1: GatedBlock
    let out: Conv2d

    public init(config: HDRConfig, seed: UInt64 = 1) {
        self.config = config
        let c = config.baseChannels
        e1a = GatedBlock(4, c, seed: seed &+ 1); e1b = GatedBlock(c, c, seed: seed &+ 2)
        e2a = GatedBlock(c, 2 * c, stride: 2, seed: seed &+ 3); e2b = GatedBlock(2 * c, 2 * c, seed: seed &+ 4)
        e3 = GatedBlock(2 * c, 4 * c, stride: 2, seed: seed &+ 5)
        b1 = GatedBlock(4 * c, 4 * c, dilation: 2, seed: seed &+ 6); b2 = GatedBlock(4 * c, 4 * c, dilation: 4, seed: seed &+ 7)
        d2 = GatedBlock(4 * c + 2 * c, 2 * c, seed: seed &+ 8); d1 = GatedBlock(2 * c + c, c, seed: seed &+ 9)
        out = Conv2d(c, 3, kernelSize: 3, padding: 1, seed: seed &+ 10)
        out.weight.data = out.weight.data.map { $0 * 0.1 }
        out.bias!.data = [Float](repeating: -1, count: 3)   // softplus(-1) ≈ 0.31: a mild start
    }

    public func namedParameters() -> [(String, Tensor)] {
        let blocks: [(String, GatedBlock)] = [("e1a", e1a), ("e1b", e1b), ("e2a", e2a), ("e2b", e2b), ("e3", e3),
                                              ("b1", b1), ("b2", b2), ("d2", d2), ("d1", d1)]
        return blocks.flatMap { n, b in b.namedParameters().map { ("hdr.\(n).\($0.0)", $0.1) } }
            + out.namedParameters().map { ("hdr.out.\($0.0)", $0.1) }
    }

    /// [N, 4, H, W] -> raw [N, 3, H, W].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let s1 = e1b(e1a(x))
        let s2 = e2b(e2a(s1))
        let b = b2(b1(e3(s2)))
        let u2 = d2(Tensor.concat([upsample2d(b, factor: 2), s2], axis: 1))
        let u1 = d1(Tensor.concat([upsample2d(u2, factor: 2), s1], axis: 1))
        return out(u1)
    }

    /// Network input [N, 4, H, W] from linear RGB [N, 3, H, W] and mask [N, 1, H, W] (constants).
    public static func input(linear: Tensor, mask: Tensor) -> Tensor {
        Tensor.concat([Tensor(shape: linear.shape, data: linear.data.map { max($0, 0).squareRoot() }), mask], axis: 1)
    }

    /// `Ĥ = x · exp(α · softplus(raw))` (differentiable in `raw`); α [N, 1, H, W] is broadcast over channels.
    public static func compose(linear: Tensor, mask: Tensor, raw: Tensor) -> Tensor {
        let (n, h, w) = (mask.shape[0], mask.shape[2], mask.shape[3])
        var a3 = [Float](repeating: 0, count: n * 3 * h * w)
        for b in 0..<n { for c in 0..<3 { for i in 0..<(h * w) { a3[(b * 3 + c) * h * w + i] = mask.data[b * h * w + i] } } }
        let alpha = Tensor(shape: raw.shape, data: a3)
        return linear * (alpha * raw.softplus()).exp()
    }
}

/// SN-PatchGAN discriminator (Yu et al. 2019): 5×5 stride-2 convolutions with spectrally normalised
/// weights and LeakyReLU 0.2, channels c, 2c, 4c, 4c; the output map's every element is an
/// independent real/fake score for one receptive-field patch. Input: tone-mapped LDR ‖ mask (4 channels).
public final class PatchDiscriminator: Module {
    let convs: [Conv2d]
    let norms: [SpectralNorm]

    public init(base c: Int = 16, seed: UInt64 = 7) {
        let ch = [4, c, 2 * c, 4 * c, 4 * c]
        convs = (0..<4).map { Conv2d(ch[$0], ch[$0 + 1], kernelSize: 5, stride: 2, padding: 2, seed: seed &+ UInt64($0)) }
        norms = (0..<4).map { SpectralNorm(outFeatures: ch[$0 + 1], seed: seed &+ 100 &+ UInt64($0)) }
    }

    public func namedParameters() -> [(String, Tensor)] {
        convs.enumerated().flatMap { i, c in c.namedParameters().map { ("disc.conv\(i).\($0.0)", $0.1) } }
    }

    /// [N, 4, H, W] -> scores [N, 4c, H/16, W/16].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x
        for i in 0..<convs.count {
            h = conv2d(h, norms[i](convs[i].weight), bias: convs[i].bias, stride: 2, padding: 2)
            if i < convs.count - 1 { h = h.leakyReLU(0.2) }
        }
        return h
    }
}

/// The perceptual-loss substitute: a **fixed random-feature network** (no pretrained VGG19 can be
/// downloaded here). Two 3×3 convolutions with frozen, seeded Kaiming-normal weights
/// (3 -> 16, ReLU, 2×2 average pool, 16 -> 32), features taken **before** the last ReLU (as VGG19
/// conv3_4 pre-ReLU in the seed). Random convolutional features are a known perceptual/texture
/// proxy (Ulyanov et al. 2018; He, Wang & Hopcroft 2016): they compare local structure at two scales
/// rather than single pixels. Its weights are not trained and not saved; the seed makes them reproducible.
public final class RandomFeatures {
    let c1: Conv2d, c2: Conv2d

    public init(seed: UInt64 = 0x7E47) {
        var rng = RNG(seed: seed)
        c1 = Conv2d(3, 16, kernelSize: 3, padding: 1, bias: false)
        c2 = Conv2d(16, 32, kernelSize: 3, padding: 1, bias: false)
        c1.weight.data = Init.kaimingNormal(c1.weight.shape, rng: &rng).data
        c2.weight.data = Init.kaimingNormal(c2.weight.shape, rng: &rng).data
        c1.weight.requiresGrad = false; c2.weight.requiresGrad = false
    }

    /// [N, 3, H, W] -> [N, 32, H/2, W/2].
    public func callAsFunction(_ x: Tensor) -> Tensor { c2(avgPool2d(c1(x).relu(), kernel: 2)) }
}
