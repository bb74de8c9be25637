/// Black & white (paper filter BW): p' = (1 − α)p + α·lum(p)·(1, 1, 1), lum unclipped.
/// α in (0, 1), identity 0; α = 1 is full greyscale.
public enum BlackAndWhite: Filter {
    public static let id = "blackWhite"
    public static let parameters = [
        ParamSpec("amount", 0...1, identity: 0, mapping: .sigmoid, "blend towards luminance greyscale"),
    ]
    public static func coefficients<T: CoefficientScalar>(_ p: [T]) -> [T] { [p[0]] }
    @inline(__always) @inlinable public static func apply<T: FilterScalar>(_ r: inout T, _ g: inout T, _ b: inout T, _ k: UnsafeBufferPointer<T>) {
        let l = T.lum(r, g, b)
        r = r + k[0] * (l - r); g = g + k[0] * (l - g); b = b + k[0] * (l - b)
    }
}
