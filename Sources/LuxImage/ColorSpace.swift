/// RGB primaries and white point of a colour space. Matrices to and from CIE XYZ live in
/// `LuxColor/PrimariesMatrices.swift`.
public enum Primaries: String, Sendable, Codable, CaseIterable {
    /// ITU-R BT.709 / sRGB primaries, D65 white.
    case sRGB
    /// Display P3 (DCI-P3 primaries, D65 white).
    case displayP3
    /// Adobe RGB (1998), D65 white.
    case adobeRGB
    /// ProPhoto RGB (ROMM), D50 white.
    case proPhoto
    /// ITU-R BT.2020, D65 white.
    case rec2020
}

/// The curve that maps linear light to the encoded values stored in a file.
public enum TransferFunction: Sendable, Hashable, Codable {
    /// Values are linear light.
    case linear
    /// The piecewise sRGB curve (IEC 61966-2-1), also used by Display P3.
    case sRGB
    /// A pure power law, encoded = linear^(1/gamma): Adobe RGB uses 563/256 (~2.2).
    case gamma(Float)
    /// ROMM / ProPhoto: linear segment below 1/512, then power 1/1.8.
    case proPhoto
}

/// What the numbers in an ``Image`` mean: primaries plus transfer curve.
public struct ColorSpace: Sendable, Hashable, Codable, CustomStringConvertible {
    public var primaries: Primaries
    public var transfer: TransferFunction

    public init(primaries: Primaries, transfer: TransferFunction) {
        self.primaries = primaries
        self.transfer = transfer
    }

    /// Lux's working space: linear light, sRGB / Rec. 709 primaries, D65.
    public static let working = ColorSpace(primaries: .sRGB, transfer: .linear)
    public static let sRGB = ColorSpace(primaries: .sRGB, transfer: .sRGB)
    public static let linearSRGB = working
    public static let displayP3 = ColorSpace(primaries: .displayP3, transfer: .sRGB)
    public static let adobeRGB = ColorSpace(primaries: .adobeRGB, transfer: .gamma(563.0 / 256.0))
    public static let proPhoto = ColorSpace(primaries: .proPhoto, transfer: .proPhoto)
    public static let linearProPhoto = ColorSpace(primaries: .proPhoto, transfer: .linear)
    public static let rec2020 = ColorSpace(primaries: .rec2020, transfer: .linear)

    public var isLinear: Bool { transfer == .linear }

    public var description: String {
        let t: String
        switch transfer {
        case .linear: t = "linear"
        case .sRGB: t = "sRGB curve"
        case .gamma(let g): t = "gamma \(g)"
        case .proPhoto: t = "ProPhoto curve"
        }
        return "\(primaries.rawValue) (\(t))"
    }
}
