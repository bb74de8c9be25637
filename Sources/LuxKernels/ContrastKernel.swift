/// Renderer kernel for contrast (``Contrast``): p' = p·(1 + α(ℓ'/ℓ − 1)) with ℓ = clip(lum p, 0, 1) and
/// ℓ' = ½ − ½cos(πℓ), so the factor needs only g(ℓ) = ℓ'/ℓ = (1 − cos πℓ)/(2ℓ), an odd function of ℓ:
/// g = ℓ·Q(ℓ²) with Q the degree-5 Chebyshev fit of (1 − cos π√t)/(2t) on t ∈ [0, 1]
/// (|g − ℓ'/ℓ| < 2.2e-8 in Double): five multiply-adds and no division or cosine, against ~27 vector
/// operations for the filter's own formula (``FastMath/cosPi(_:)`` plus a division).
/// The filter divides by ℓ + 1e-6 (to stay finite at ℓ = 0); g is the limit without it, a difference
/// below 2.5e-6·|α| in the factor (largest near ℓ = 1e-6), so below 2.5e-6·|α|·|p| in the output (a
/// saturated colour whose luminance is near 0). Measured against the Double reference in tests.
public struct ContrastKernel: VectorKernel {
    @inlinable public static var interleave: Bool { true }
    /// 1 − α and α.
    @usableFromInline let base: V, amount: V

    /// α, the filter's coefficient.
    public init(amount a: Double) {
        base = V(repeating: Float(1 - a)); amount = V(repeating: Float(a))
    }

    /// g(ℓ) = ℓ'/ℓ for ℓ ∈ [0, 1].
    @_transparent public static func ratio(_ l: V) -> V {
        let t = l * l
        var p = V(repeating: -0.0008194806258889561)
        p = FastMath.fma(p, t, 0.012744237241659635)
        p = FastMath.fma(p, t, -0.1175838509575709)
        p = FastMath.fma(p, t, 0.667612442764639)
        p = FastMath.fma(p, t, -2.0293544482336614)
        p = FastMath.fma(p, t, 2.467401077926991)
        return p * l
    }

    @_transparent public func apply(_ r: inout V, _ g: inout V, _ b: inout V) {
        // Luminance 0.27 R + 0.67 G + 0.06 B as the filters' `lum` (same multiply-adds), clipped to [0, 1].
        let lum = (r * 0.27).addingProduct(0.67, g).addingProduct(0.06, b)
        let l = V.minimum(V.maximum(lum, V(repeating: 0)), V(repeating: 1))
        let f = base.addingProduct(amount, Self.ratio(l))
        r *= f; g *= f; b *= f
    }
}
