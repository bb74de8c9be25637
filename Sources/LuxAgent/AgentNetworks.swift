import Foundation
import LuxTensor

/// Convolutional feature extractor of the paper (§6): four 4x4 stride-2 convolutions with
/// LeakyReLU 0.2 (channels c, 2c, 4c, 4c; 64 -> 4 px), flattened, then FC -> `featureDim` + LeakyReLU.
/// Optional spectral normalisation of every weight (the critic's Lipschitz constraint).
public final class FeatureExtractor: Module {
    public let convs: [Conv2d]
    public let fc: Linear
    let norms: [SpectralNorm]?

    public init(inChannels: Int, base c: Int, side: Int, featureDim: Int, spectral: Bool = false, rng: inout RNG) {
        let chans = [inChannels, c, 2 * c, 4 * c, 4 * c]
        convs = (0..<4).map { i in
            let conv = Conv2d(chans[i], chans[i + 1], kernelSize: 4, stride: 2, padding: 1)
            conv.weight.data = Init.xavierUniform(conv.weight.shape, rng: &rng).data
            conv.bias!.data = [Float](repeating: 0, count: chans[i + 1])
            return conv
        }
        let flat = 4 * c * (side / 16) * (side / 16)
        fc = Linear(flat, featureDim, rng: &rng)
        fc.weight.data = Init.xavierUniform(fc.weight.shape, rng: &rng).data
        norms = spectral ? (chans[1...].map { SpectralNorm(outFeatures: $0, seed: rng.next()) } + [SpectralNorm(outFeatures: featureDim, seed: rng.next())]) : nil
    }

    public func namedParameters() -> [(String, Tensor)] {
        convs.enumerated().flatMap { i, c in c.namedParameters().map { ("conv\(i).\($0.0)", $0.1) } }
            + fc.namedParameters().map { ("fc.\($0.0)", $0.1) }
    }

    /// [N, C, side, side] -> [N, featureDim].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x
        for (i, c) in convs.enumerated() {
            let w = norms.map { $0[i](c.weight) } ?? c.weight
            h = conv2d(h, w, bias: c.bias, stride: 2, padding: 1).leakyReLU(0.2)
        }
        h = h.reshape([h.shape[0], h.count / h.shape[0]])
        let w = norms.map { $0[4](fc.weight) } ?? fc.weight
        return linearForward(h, w, fc.bias).leakyReLU(0.2)
    }
}

/// Two-layer head: FC -> `hidden` + LeakyReLU 0.2 -> FC -> `out` (raw, unbounded).
public final class Head: Module {
    public let fc1: Linear, fc2: Linear
    public init(_ inF: Int, hidden: Int, out: Int, rng: inout RNG) {
        fc1 = Linear(inF, hidden, rng: &rng); fc2 = Linear(hidden, out, rng: &rng)
        fc1.weight.data = Init.xavierUniform(fc1.weight.shape, rng: &rng).data
        fc2.weight.data = Init.xavierUniform(fc2.weight.shape, rng: &rng).data
    }
    public func namedParameters() -> [(String, Tensor)] {
        fc1.namedParameters().map { ("fc1.\($0.0)", $0.1) } + fc2.namedParameters().map { ("fc2.\($0.0)", $0.1) }
    }
    public func callAsFunction(_ x: Tensor) -> Tensor { fc2(fc1(x).leakyReLU(0.2)) }
}

/// The actor π = (π₁ selector, π₂ parameters): a parameter extractor feeding one head per filter
/// (raw outputs, mapped into range by each parameter's ``LuxFilters/ParamMapping``), and a selector
/// extractor feeding a linear layer of logits over the filters and the stop action.
public final class AgentActor: Module {
    public let config: AgentConfig
    public let paramFeatures: FeatureExtractor
    public let heads: [Head]
    public let selectFeatures: FeatureExtractor
    public let selector: Linear

    public init(config: AgentConfig, paramCounts: [Int], rng: inout RNG) {
        self.config = config
        paramFeatures = FeatureExtractor(inChannels: config.stateChannels, base: config.baseChannels, side: config.thumbnail,
                                         featureDim: config.featureDim, rng: &rng)
        heads = paramCounts.map { Head(config.featureDim, hidden: config.headDim, out: $0, rng: &rng) }
        selectFeatures = FeatureExtractor(inChannels: config.stateChannels, base: config.baseChannels, side: config.thumbnail,
                                          featureDim: config.featureDim, rng: &rng)
        selector = Linear(config.featureDim, config.actionCount, rng: &rng)
        selector.weight.data = Init.xavierUniform(selector.weight.shape, rng: &rng).data
    }

    public func namedParameters() -> [(String, Tensor)] {
        paramFeatures.namedParameters().map { ("actor.params.\($0.0)", $0.1) }
            + heads.enumerated().flatMap { i, h in h.namedParameters().map { ("actor.head.\(config.filters[i]).\($0.0)", $0.1) } }
            + selectFeatures.namedParameters().map { ("actor.select.\($0.0)", $0.1) }
            + selector.namedParameters().map { ("actor.select.logits.\($0.0)", $0.1) }
    }

    /// Raw parameters per filter ([N, P_f] each) and action logits [N, filters + 1] for a state [N, stateChannels, S, S].
    /// `dropout`: the generator for feature dropout (nil: none).
    public func callAsFunction(_ state: Tensor, dropout: inout RNG?) -> (params: [Tensor], logits: Tensor) {
        var pf = paramFeatures(state), sf = selectFeatures(state)
        if dropout != nil {
            pf = pf.dropout(config.dropout, training: true, rng: &dropout!)
            sf = sf.dropout(config.dropout, training: true, rng: &dropout!)
        }
        return (heads.map { $0(pf) }, selector(sf))
    }
}

/// A scalar network on top of a ``FeatureExtractor``: the value function V(s) or (with spectral
/// normalisation) the WGAN critic D.
public final class ScalarNet: Module {
    public let features: FeatureExtractor
    public let out: Linear
    let outNorm: SpectralNorm?
    public init(inChannels: Int, config: AgentConfig, spectral: Bool, rng: inout RNG) {
        features = FeatureExtractor(inChannels: inChannels, base: config.baseChannels, side: config.thumbnail,
                                    featureDim: config.featureDim, spectral: spectral, rng: &rng)
        out = Linear(config.featureDim, 1, rng: &rng)
        out.weight.data = Init.xavierUniform(out.weight.shape, rng: &rng).data
        outNorm = spectral ? SpectralNorm(outFeatures: 1, seed: rng.next()) : nil
    }
    public func namedParameters() -> [(String, Tensor)] {
        features.namedParameters().map { ("features.\($0.0)", $0.1) } + out.namedParameters().map { ("out.\($0.0)", $0.1) }
    }
    /// [N, C, S, S] -> [N].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let w = outNorm.map { $0(out.weight) } ?? out.weight
        let y = linearForward(features(x), w, out.bias)
        return y.reshape([y.shape[0]])
    }
}
