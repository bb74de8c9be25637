import Foundation
import LuxColor
import LuxImage

/// A camera response function (CRF) `f: [0, 1] -> [0, 1]`, linear exposure to encoded value, with its
/// inverse. Used to undo the camera (`decode`) before reconstruction and to render a re-exposed
/// radiance map (`encode`). Values outside [0, 1] are clamped first (the sensor clips).
///
/// - `linear`: `f(x) = x` (float or RAW data: nothing to undo).
/// - `gamma(γ)`: `f(x) = x^(1/γ)`; `gamma(2)` is the seed's square-root curve (`H = I²`), valid γ 1...4.
/// - `sRGB`: the IEC 61966-2-1 curve.
/// - `parametric(gamma: γ, shoulder: s)`: `f(x) = u·(1 + s) / (u + s)`, `u = x^(1/γ)`: a gamma with a
///   highlight shoulder (smaller `s` rolls off harder; `s -> ∞` is the plain gamma); `f(0) = 0`, `f(1) = 1`,
///   monotone; inverse `u = y·s / (1 + s − y)`, `x = u^γ`. Valid γ 1...4, s 0.25...100.
public enum CameraResponse: Equatable, Sendable, CustomStringConvertible {
    case linear
    case gamma(Float)
    case sRGB
    case parametric(gamma: Float, shoulder: Float)

    /// The seed's square-root response.
    public static let sqrt = CameraResponse.gamma(2)

    /// Linear exposure -> encoded value.
    public func encode(_ x: Float) -> Float {
        let c = min(max(x, 0), 1)
        switch self {
        case .linear: return c
        case .gamma(let g): return Foundation.pow(c, 1 / g)
        case .sRGB: return TransferCurves.encode(c, .sRGB)
        case .parametric(let g, let s):
            let u = Foundation.pow(c, 1 / g)
            return u * (1 + s) / (u + s)
        }
    }

    /// Encoded value -> linear exposure (the inverse CRF).
    public func decode(_ y: Float) -> Float {
        let c = min(max(y, 0), 1)
        switch self {
        case .linear: return c
        case .gamma(let g): return Foundation.pow(c, g)
        case .sRGB: return TransferCurves.decode(c, .sRGB)
        case .parametric(let g, let s):
            let u = c * s / (1 + s - c)
            return Foundation.pow(u, g)
        }
    }

    /// `linear`, `sqrt`, `srgb`, `gamma:G`, `param:G,S` (the inverse of ``description``).
    public init?(string: String) {
        let s = string.lowercased()
        switch s {
        case "linear": self = .linear; return
        case "sqrt": self = .gamma(2); return
        case "srgb": self = .sRGB; return
        default: break
        }
        if s.hasPrefix("gamma:"), let g = Float(s.dropFirst(6)), (1...4).contains(g) { self = .gamma(g); return }
        if s.hasPrefix("param:") {
            let p = s.dropFirst(6).split(separator: ",").compactMap { Float($0) }
            if p.count == 2, (1...4).contains(p[0]), (0.25...100).contains(p[1]) { self = .parametric(gamma: p[0], shoulder: p[1]); return }
        }
        return nil
    }

    public var description: String {
        switch self {
        case .linear: "linear"
        case .gamma(let g): g == 2 ? "sqrt" : "gamma:\(g)"
        case .sRGB: "srgb"
        case .parametric(let g, let s): "param:\(g),\(s)"
        }
    }
}
