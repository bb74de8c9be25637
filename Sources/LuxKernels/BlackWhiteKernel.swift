/// Renderer kernel for black & white (``BlackAndWhite``): p' = (1 − α)·p + α·lum(p), with α folded
/// into the luminance weights once (α·0.27, α·0.67, α·0.06): one multiply and two multiply-adds for
/// α·lum, then one multiply-add per channel (6 vector operations, against 11 for the filter's own
/// formula in separate multiplies and adds). Same function up to Float rounding.
public struct BlackWhiteKernel: VectorKernel {
    @inlinable public static var interleave: Bool { true }
    @usableFromInline let keep: V, wr: V, wg: V, wb: V

    /// α, the filter's coefficient (the blend towards grey).
    public init(amount a: Double) {
        keep = V(repeating: Float(1 - a))
        wr = V(repeating: Float(a * 0.27)); wg = V(repeating: Float(a * 0.67)); wb = V(repeating: Float(a * 0.06))
    }

    @_transparent public func apply(_ r: inout V, _ g: inout V, _ b: inout V) {
        let l = (wr * r).addingProduct(wg, g).addingProduct(wb, b)
        r = l.addingProduct(keep, r); g = l.addingProduct(keep, g); b = l.addingProduct(keep, b)
    }
}
