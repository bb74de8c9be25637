import Foundation

/// A seeded, platform-independent pseudo-random generator: xoshiro256** (Blackman & Vigna 2018)
/// with its 256-bit state filled from the seed by SplitMix64. Only integer arithmetic decides the
/// stream, so a seed gives bit-identical values on every platform and run.
public struct RNG: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)
    /// Second Box-Muller value, returned by the next ``normal()`` call.
    private var spareNormal: Float?

    public init(seed: UInt64) {
        var x = seed
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(&x), splitMix(&x), splitMix(&x), splitMix(&x))
    }

    @inline(__always) private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = RNG.rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = RNG.rotl(s.3, 45)
        return result
    }

    /// Uniform in [0, 1): the top 24 bits scaled by 2⁻²⁴ (every value exactly representable).
    public mutating func uniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform in [lo, hi).
    public mutating func uniform(_ lo: Float, _ hi: Float) -> Float { lo + (hi - lo) * uniform() }

    /// Standard normal N(0, 1) by the Box-Muller transform (in Double, pairs cached):
    /// `r = √(−2 ln u₁)`, `z₀ = r cos 2πu₂`, `z₁ = r sin 2πu₂`, with u₁ ∈ (0, 1].
    public mutating func normal() -> Float {
        if let z = spareNormal { spareNormal = nil; return z }
        let u1 = (Double(next() >> 11) + 1) * 0x1p-53   // (0, 1]
        let u2 = Double(next() >> 11) * 0x1p-53         // [0, 1)
        let r = (-2 * Foundation.log(u1)).squareRoot()
        let a = 2 * Double.pi * u2
        spareNormal = Float(r * Foundation.sin(a))
        return Float(r * Foundation.cos(a))
    }

    /// N(mean, std²).
    public mutating func normal(mean: Float, std: Float) -> Float { mean + std * normal() }

    /// `count` uniform values in [lo, hi).
    public mutating func uniformArray(_ count: Int, _ lo: Float = 0, _ hi: Float = 1) -> [Float] {
        (0..<count).map { _ in uniform(lo, hi) }
    }

    /// `count` normal values.
    public mutating func normalArray(_ count: Int, mean: Float = 0, std: Float = 1) -> [Float] {
        (0..<count).map { _ in normal(mean: mean, std: std) }
    }
}

extension Tensor {
    /// A tensor of uniform values in [lo, hi).
    public static func uniform(_ shape: [Int], _ lo: Float = 0, _ hi: Float = 1, rng: inout RNG,
                               requiresGrad: Bool = false) -> Tensor {
        Tensor(shape: shape, data: rng.uniformArray(shape.reduce(1, *), lo, hi), requiresGrad: requiresGrad)
    }

    /// A tensor of N(mean, std²) values.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, rng: inout RNG,
                              requiresGrad: Bool = false) -> Tensor {
        Tensor(shape: shape, data: rng.normalArray(shape.reduce(1, *), mean: mean, std: std), requiresGrad: requiresGrad)
    }
}
