import Foundation
import LuxTensor

/// One level's U-Net (Afifi et al.'s `unetLayers` variant): per stage two 3x3 'same' convolutions
/// with LeakyReLU 0.2, 2x2 max-pool down; a bridge of two convolutions at `base·2^depth` channels;
/// per decoder stage a 2x2 stride-2 transposed convolution halving the channels + ReLU,
/// concatenation with the encoder's skip, two 3x3 convolutions + LeakyReLU; a final 1x1
/// convolution to 3 channels. No normalisation, no dropout.
public final class LevelUNet: Module {
    public let encoder: [(Conv2d, Conv2d)]
    public let bridge: (Conv2d, Conv2d)
    public let ups: [ConvTranspose2d]
    public let decoder: [(Conv2d, Conv2d)]
    public let out: Conv2d

    public init(depth: Int, base: Int, seed: UInt64) {
        var s = seed
        func next() -> UInt64 { s = s &* 6364136223846793005 &+ 1442695040888963407; return s }
        let ch = (0...depth).map { base << $0 }
        var enc: [(Conv2d, Conv2d)] = []
        var cin = 3
        for i in 0..<depth {
            enc.append((Conv2d(cin, ch[i], kernelSize: 3, padding: 1, seed: next()), Conv2d(ch[i], ch[i], kernelSize: 3, padding: 1, seed: next())))
            cin = ch[i]
        }
        encoder = enc
        bridge = (Conv2d(cin, ch[depth], kernelSize: 3, padding: 1, seed: next()), Conv2d(ch[depth], ch[depth], kernelSize: 3, padding: 1, seed: next()))
        var u: [ConvTranspose2d] = [], dec: [(Conv2d, Conv2d)] = []
        for i in stride(from: depth - 1, through: 0, by: -1) {
            u.append(ConvTranspose2d(ch[i + 1], ch[i], kernelSize: 2, stride: 2, seed: next()))
            dec.append((Conv2d(2 * ch[i], ch[i], kernelSize: 3, padding: 1, seed: next()), Conv2d(ch[i], ch[i], kernelSize: 3, padding: 1, seed: next())))
        }
        ups = u; decoder = dec
        out = Conv2d(ch[0], 3, kernelSize: 1, seed: next())
        // A small last layer: each level starts close to its residual path (the upsampled coarser result).
        out.weight.data = out.weight.data.map { $0 * 0.1 }
        out.bias!.data = [0, 0, 0]
    }

    public func namedParameters() -> [(String, Tensor)] {
        func pair(_ p: String, _ c: (Conv2d, Conv2d)) -> [(String, Tensor)] {
            c.0.namedParameters().map { ("\(p).conv1.\($0.0)", $0.1) } + c.1.namedParameters().map { ("\(p).conv2.\($0.0)", $0.1) }
        }
        var r: [(String, Tensor)] = []
        for (i, e) in encoder.enumerated() { r += pair("enc\(i)", e) }
        r += pair("bridge", bridge)
        for (i, u) in ups.enumerated() { r += u.namedParameters().map { ("up\(i).\($0.0)", $0.1) } }
        for (i, d) in decoder.enumerated() { r += pair("dec\(i)", d) }
        r += out.namedParameters().map { ("out.\($0.0)", $0.1) }
        return r
    }

    /// [N, 3, H, W] -> [N, 3, H, W]; H and W must be multiples of `2^depth`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x
        var skips: [Tensor] = []
        for (c1, c2) in encoder {
            h = c2(c1(h).leakyReLU(0.2)).leakyReLU(0.2)
            skips.append(h)
            h = maxPool2d(h, kernel: 2)
        }
        h = bridge.1(bridge.0(h).leakyReLU(0.2)).leakyReLU(0.2)
        for (i, (up, d)) in zip(ups, decoder).enumerated() {
            h = up(h).relu()
            h = Tensor.concat([skips[skips.count - 1 - i], h], axis: 1)
            h = d.1(d.0(h).leakyReLU(0.2)).leakyReLU(0.2)
        }
        return out(h)
    }
}

/// The multi-scale exposure-correction network: one ``LevelUNet`` per Laplacian-pyramid level,
/// evaluated coarse to fine (Afifi et al. 2021, Fig. 3):
///
/// - `y[n-1] = UNet[n-1](L[n-1]) + L[n-1]` (coarsest level, the low-pass residual),
/// - `u[l+1] = TConv[l+1](y[l+1])`, a learned stride-2 transposed convolution, 3 -> 3 channels,
/// - `y[l] = UNet[l](L[l] + u[l+1]) + u[l+1] + L[l]` for the finer levels; the output is `y[0]`.
///
/// Two changes from the paper, both so that a network trained for minutes on two CPU cores starts
/// at the identity and only learns the correction: the `+ L[l]` skips, and 5x5 upsamplers (padding 2,
/// output padding 1) initialised to the pyramid's own expand kernel `[1 4 6 4 1]/8 ⊗ [1 4 6 4 1]/8`
/// (the paper's are 2x2, random). With every U-Net's (small) last layer at zero the network is exactly
/// the pyramid collapse, i.e. the input, except at the borders (zero instead of reflected padding).
///
/// Values are display-referred (sRGB-encoded) in [0, 1] (the paper uses 0-255).
public final class CorrectNetwork: Module {
    public let config: CorrectConfig
    public let nets: [LevelUNet]
    /// `upsamplers[l]` lifts level `l + 1`'s result to level `l` (l = 0 ..< levels - 1).
    public let upsamplers: [ConvTranspose2d]

    public init(config: CorrectConfig, seed: UInt64 = 1) {
        self.config = config
        nets = (0..<config.levels).map { LevelUNet(depth: config.depths[$0], base: config.channels[$0], seed: seed &* 1000 &+ UInt64($0)) }
        upsamplers = (0..<(config.levels - 1)).map { l in
            let t = ConvTranspose2d(3, 3, kernelSize: 5, stride: 2, padding: 2, outputPadding: 1, seed: seed &* 77 &+ UInt64(l))
            // Start as the pyramid's expand (per channel): zero insertion and the 5-tap kernel times 2 per axis.
            let k: [Float] = [1, 4, 6, 4, 1].map { $0 / 8 }
            t.weight.data = (0..<(3 * 3 * 25)).map { i in
                let cin = i / 75, cout = (i / 25) % 3, p = (i / 5) % 5, q = i % 5
                return cin == cout ? k[p] * k[q] : 0
            }
            t.bias!.data = [0, 0, 0]
            return t
        }
    }

    public func namedParameters() -> [(String, Tensor)] {
        nets.enumerated().flatMap { l, n in n.namedParameters().map { ("level\(l).\($0.0)", $0.1) } }
            + upsamplers.enumerated().flatMap { l, t in t.namedParameters().map { ("up\(l).\($0.0)", $0.1) } }
    }

    /// Runs the network on pyramid levels `[N, 3, H/2^l, W/2^l]` (finest first). Returns the output
    /// `y[0]` and the upsampled intermediate results `u[1] ... u[n-1]` (u[l] at level `l - 1`'s size),
    /// which the pyramid loss compares with the target's Gaussian levels.
    public func forward(levels L: [Tensor]) -> (output: Tensor, upsampled: [Tensor]) {
        precondition(L.count == config.levels, "expected \(config.levels) pyramid levels, got \(L.count)")
        let n = config.levels
        var y = nets[n - 1](L[n - 1]) + L[n - 1]
        var ups: [Tensor] = []
        for l in stride(from: n - 2, through: 0, by: -1) {
            let u = upsamplers[l](y)
            ups.insert(u, at: 0)
            y = nets[l](L[l] + u) + u + L[l]
        }
        return (y, ups)
    }
}
