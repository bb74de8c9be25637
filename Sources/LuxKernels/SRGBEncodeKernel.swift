/// The sRGB encoding curve (IEC 61966-2-1) as a last renderer step, so that `lux enhance` writes
/// display values straight from the render instead of a second full-size pass:
/// v = 12.92·x for x ≤ 0.0031308, else 1.055·x^(1/2.4) − 0.055, with x clamped to [0, 1] first
/// (8- and 16-bit outputs clamp anyway). The power is a ``PowerKernel`` (x ≥ 0.001 after its floor,
/// below the linear segment's end, so its tables always apply).
public struct SRGBEncodeKernel: OctaveKernel {
    @usableFromInline let power = PowerKernel(pre: SIMD3(1, 1, 1), gamma: 1 / 2.4, post: SIMD3(1.055, 1.055, 1.055))

    public init() {}

    @_transparent public static func clamp01(_ x: V) -> V { V.minimum(V.maximum(x, V(repeating: 0)), V(repeating: 1)) }
    @_transparent public static func select(_ x: V, _ p: V) -> V {
        (p - 0.055).replacing(with: x * 12.92, where: x .<= 0.0031308)
    }

    /// The encoding with the power's octave factor read by `L`.
    @_transparent public func apply<L: OctaveLookup>(_ r: inout V, _ g: inout V, _ b: inout V, _ lookup: L.Type) {
        let xr = Self.clamp01(r), xg = Self.clamp01(g), xb = Self.clamp01(b)
        var pr = xr, pg = xg, pb = xb
        power.apply(&pr, &pg, &pb, L.self)
        r = Self.select(xr, pr); g = Self.select(xg, pg); b = Self.select(xb, pb)
    }
}
