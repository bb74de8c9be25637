import Foundation

/// Weight initialisation. Fans come from the weight shape: `[out, in]` for linear layers,
/// `[out, in, kh, kw]` for convolutions (receptive field `kh·kw` multiplies both fans);
/// `fanIn = in·kh·kw`, `fanOut = out·kh·kw`.
public enum Init {
    /// `(fanIn, fanOut)` of a weight shape (rank ≥ 2; a rank-1 shape has fanIn = fanOut = its size).
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        precondition(!shape.isEmpty, "fans of a scalar shape")
        if shape.count == 1 { return (shape[0], shape[0]) }
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }

    /// Gain for (leaky) ReLU with negative slope `a`: `√(2 / (1 + a²))` (He et al. 2015); a = 0 is ReLU.
    public static func reluGain(negativeSlope a: Float = 0) -> Float { (2 / (1 + a * a)).squareRoot() }

    /// Kaiming (He) normal: N(0, std²), `std = gain / √fanIn`.
    public static func kaimingNormal(_ shape: [Int], negativeSlope: Float = 0, rng: inout RNG) -> Tensor {
        let std = reluGain(negativeSlope: negativeSlope) / Float(fans(shape).fanIn).squareRoot()
        return Tensor.normal(shape, std: std, rng: &rng, requiresGrad: true)
    }

    /// Kaiming (He) uniform: U(−b, b), `b = gain·√(3 / fanIn)`.
    public static func kaimingUniform(_ shape: [Int], negativeSlope: Float = 0, rng: inout RNG) -> Tensor {
        let b = reluGain(negativeSlope: negativeSlope) * (3 / Float(fans(shape).fanIn)).squareRoot()
        return Tensor.uniform(shape, -b, b, rng: &rng, requiresGrad: true)
    }

    /// Xavier (Glorot) uniform: U(−b, b), `b = gain·√(6 / (fanIn + fanOut))`.
    public static func xavierUniform(_ shape: [Int], gain: Float = 1, rng: inout RNG) -> Tensor {
        let (fi, fo) = fans(shape)
        let b = gain * (6 / Float(fi + fo)).squareRoot()
        return Tensor.uniform(shape, -b, b, rng: &rng, requiresGrad: true)
    }

    /// Xavier (Glorot) normal: N(0, std²), `std = gain·√(2 / (fanIn + fanOut))`.
    public static func xavierNormal(_ shape: [Int], gain: Float = 1, rng: inout RNG) -> Tensor {
        let (fi, fo) = fans(shape)
        return Tensor.normal(shape, std: gain * (2 / Float(fi + fo)).squareRoot(), rng: &rng, requiresGrad: true)
    }
}
