import Foundation
import LuxImage
import LuxTensor

/// The random "bad edit" of the seed's self-supervised training (bipolaroid's `operations`), on
/// sRGB-encoded RGB in [0, 1]. `random(a, b)` below is a normal with mean (a + b)/2 and σ = (b − a)/6,
/// clipped to [a, b]. Applied in this order:
///
/// 1. contrast (PIL `ImageEnhance.Contrast`): `x' = m + k·(x − m)`, `m` the mean Rec. 601 luma, `k ~ random(0.5, 1.5)`;
/// 2. gamma: `x' = x^e`, `e = 1/(1 + g)` or `1 + g` (p = ½), `g = 0.6·Beta(1, 2)`;
/// 3. HSV: saturation gain by hue, `s' = s·lut(h)`, `lut` a periodic cubic (Catmull–Rom) through 12 gains
///    `random(0.6, 1.4)`; brightness curve on V, piecewise linear through 6 points: knots `k/5`, values
///    `start + size·k/5` with `size ~ U(0.7, 1.1)`, `start ~ U(0, max(0, 1 − size))`, interior values
///    jittered by `U(−0.1, 0.1)`, sorted and clipped to [0, 1];
/// 4. colour spill (temperature/tint): per-channel gains `random(0.8, 1.2)`;
/// 5. noise: blend with a uniform random RGB image, `α ~ random(0, 0.1)`.
///
/// With probability `keepProbability` (5 %) the edit is the identity. Values are clipped to [0, 1] at the end.
public struct RandomEdit: Sendable, Equatable {
    public var identity: Bool
    public var contrast: Float
    public var gamma: Float
    public var hueSaturation: [Float]
    public var valueCurve: [Float]
    public var gains: SIMD3<Float>
    public var noise: Float
    public var noiseSeed: UInt64

    static func random(_ a: Float, _ b: Float, _ rng: inout RNG) -> Float {
        Swift.min(Swift.max(rng.normal(mean: (a + b) / 2, std: (b - a) / 6), a), b)
    }

    /// Draws an edit.
    public init(rng: inout RNG, keepProbability: Float = 0.05) {
        identity = rng.uniform() < keepProbability
        contrast = Self.random(0.5, 1.5, &rng)
        let g = 0.6 * (1 - rng.uniform().squareRoot())  // Beta(1, 2): 1 − √U
        gamma = rng.uniform() < 0.5 ? 1 / (1 + g) : 1 + g
        hueSaturation = (0..<12).map { _ in Self.random(0.6, 1.4, &rng) }
        let size = rng.uniform(0.7, 1.1)
        let start = rng.uniform(0, Swift.max(0, 1 - size))
        var curve = (0...5).map { start + size * Float($0) / 5 }
        for k in 1..<5 { curve[k] += rng.uniform(-0.1, 0.1) }
        valueCurve = curve.sorted().map { Swift.min(Swift.max($0, 0), 1) }
        gains = SIMD3(Self.random(0.8, 1.2, &rng), Self.random(0.8, 1.2, &rng), Self.random(0.8, 1.2, &rng))
        noise = Self.random(0, 0.1, &rng)
        noiseSeed = rng.next()
    }

    /// A short description: contrast, gamma exponent, brightness-curve end points, channel gains, mean
    /// saturation gain, noise blend.
    public var summary: String {
        if identity { return "identity" }
        let sat = hueSaturation.reduce(0, +) / Float(hueSaturation.count)
        return String(format: "contrast %.2f gamma %.2f V %.2f-%.2f gains %.2f/%.2f/%.2f sat %.2f noise %.3f", contrast, gamma,
                      valueCurve.first!, valueCurve.last!, gains.x, gains.y, gains.z, sat, noise)
    }

    /// Saturation gain at hue `h` in [0, 1): periodic Catmull–Rom through the 12 gains.
    func saturationGain(_ h: Float) -> Float {
        let n = hueSaturation.count
        let t = (h - h.rounded(.down)) * Float(n)
        let i = Int(t) % n, f = t - Float(Int(t))
        let p0 = hueSaturation[(i + n - 1) % n], p1 = hueSaturation[i], p2 = hueSaturation[(i + 1) % n], p3 = hueSaturation[(i + 2) % n]
        let f2 = f * f, f3 = f2 * f
        return 0.5 * (2 * p1 + (p2 - p0) * f + (2 * p0 - 5 * p1 + 4 * p2 - p3) * f2 + (3 * p1 - p0 - 3 * p2 + p3) * f3)
    }

    /// The brightness curve at `v` in [0, 1].
    func value(_ v: Float) -> Float {
        let t = Swift.min(Swift.max(v, 0), 1) * 5
        let i = Swift.min(Int(t), 4), f = t - Float(i)
        return valueCurve[i] + f * (valueCurve[i + 1] - valueCurve[i])
    }

    /// The edit applied to `image` (sRGB-encoded RGB).
    public func apply(_ image: Image) -> Image {
        if identity { return image }
        var out = image.rgb()
        let n = out.planeCount
        var meanLuma = 0.0
        for i in 0..<n { meanLuma += Double(0.299 * out.pixels[i] + 0.587 * out.pixels[n + i] + 0.114 * out.pixels[2 * n + i]) }
        let m = Float(meanLuma / Double(n))
        var rng = RNG(seed: noiseSeed)
        for i in 0..<n {
            var c = SIMD3(out.pixels[i], out.pixels[n + i], out.pixels[2 * n + i])
            c = (m + contrast * (c - m)).clamped(lowerBound: SIMD3(repeating: 0), upperBound: SIMD3(repeating: 1))
            c = SIMD3(pow(c.x, gamma), pow(c.y, gamma), pow(c.z, gamma))
            var hsv = ColorMath.hsv(fromRGB: c)
            hsv.y = Swift.min(Swift.max(hsv.y * saturationGain(hsv.x), 0), 1)
            hsv.z = value(hsv.z)
            c = ColorMath.rgb(fromHSV: hsv) * gains
            let r = SIMD3(rng.uniform(), rng.uniform(), rng.uniform())
            c = (1 - noise) * c + noise * r
            c = c.clamped(lowerBound: SIMD3(repeating: 0), upperBound: SIMD3(repeating: 1))
            out.pixels[i] = c.x; out.pixels[n + i] = c.y; out.pixels[2 * n + i] = c.z
        }
        return out
    }
}
