import Foundation

/// The engine's per-photo strength, from the network's own view of how far the photo is from a good
/// one. With `d = KL(ĥ ‖ h)` (``distance(input:predicted:)``: the predicted histogram `ĥ` against the
/// photo's own `h`) and `m` the RMS of `T(x) − x` (how far the full transfer would move the photo,
/// sRGB-encoded):
///
///     s = min(sMax · dᵖ / (dᵖ + bᵖ),  c / m)
///
/// 0 for a photo the network would leave as it is, rising towards `sMax` as the prediction moves away
/// from the input (half of `sMax` at `d = b`); the second term caps the image-space step at `c` RMS
/// (large moves are the network's least reliable). The constants are calibrated on training photos
/// (``StrengthCalibration``) and stored in the model file's metadata (``metadata``).
public struct AdaptiveStrength: Sendable, Equatable, CustomStringConvertible {
    public var maxStrength: Double
    public var halfDistance: Double
    public var power: Double
    /// `c`, the largest RMS step (nil: no cap).
    public var maxMove: Double?

    public init(maxStrength: Double, halfDistance: Double, power: Double = 1, maxMove: Double? = nil) {
        self.maxStrength = maxStrength; self.halfDistance = halfDistance; self.power = power; self.maxMove = maxMove
    }

    /// The strength for network distance `d` (≥ 0) and full-transfer step `move` (RMS, ≥ 0); in [0, sMax].
    public func strength(distance d: Double, move: Double) -> Float {
        guard d > 0, d.isFinite else { return d.isFinite ? 0 : Float(maxStrength) }
        let dp = pow(d, power)
        var s = maxStrength * dp / (dp + pow(halfDistance, power))
        if let maxMove, move > 0 { s = Swift.min(s, maxMove / move) }
        return Float(Swift.max(0, s))
    }

    /// `KL(ĥ ‖ h)` with ε = 1e-8 inside the logs (``HistogramNet/kl(_:_:)``).
    public static func distance(input h: [Float], predicted p: [Float]) -> Double {
        HistogramNet.kl(p, h)
    }

    /// The metadata keys of a model file (``HistogramNet/strength``).
    public var metadata: [String: String] {
        var m = ["strength_max": "\(maxStrength)", "strength_half_distance": "\(halfDistance)", "strength_power": "\(power)"]
        if let maxMove { m["strength_max_move"] = "\(maxMove)" }
        return m
    }

    /// Reads ``metadata``; nil when the file has no calibration.
    public init?(metadata m: [String: String]) {
        guard let s = m["strength_max"].flatMap(Double.init), let b = m["strength_half_distance"].flatMap(Double.init),
              let p = m["strength_power"].flatMap(Double.init) else { return nil }
        self.init(maxStrength: s, halfDistance: b, power: p, maxMove: m["strength_max_move"].flatMap(Double.init))
    }

    public var description: String {
        String(format: "s = min(%.2f·d^%g/(d^%g + %g^%g), %@)", maxStrength, power, power, halfDistance, power,
               maxMove.map { String(format: "%g/m", $0) } ?? "∞")
    }
}
