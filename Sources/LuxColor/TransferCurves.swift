import LuxImage
#if canImport(Glibc)
import Glibc
#endif

/// Exact transfer curves (encoded <-> linear light) and fast table-driven versions for pixel loops.
///
/// Conventions: `decode` maps an encoded value E to linear light L, `encode` maps L to E. Both are
/// odd-symmetric (f(-x) = -f(x)), so out-of-gamut negative values survive a round trip, and extend
/// the power segment above 1 for HDR values.
/// - sRGB (IEC 61966-2-1): L = E / 12.92 for E <= 0.04045, else ((E + 0.055) / 1.055)^2.4.
///   E = 12.92 L for L <= 0.0031308, else 1.055 L^(1/2.4) - 0.055.
/// - gamma g: L = E^g, E = L^(1/g).
/// - ProPhoto / ROMM: L = E / 16 for E < 16/512, else E^1.8. E = 16 L for L < 1/512, else L^(1/1.8).
/// - linear: identity.
public enum TransferCurves {
    /// sRGB decode threshold (encoded) and encode threshold (linear).
    public static let sRGBDecodeThreshold = 0.04045
    public static let sRGBEncodeThreshold = 0.04045 / 12.92

    /// Exact decode E -> L in Double.
    public static func decode(_ e: Double, _ tf: TransferFunction) -> Double {
        let a = abs(e)
        let r: Double
        switch tf {
        case .linear: return e
        case .sRGB: r = a <= sRGBDecodeThreshold ? a / 12.92 : pow((a + 0.055) / 1.055, 2.4)
        case .gamma(let g): r = pow(a, Double(g))
        case .proPhoto: r = a < 16.0 / 512.0 ? a / 16.0 : pow(a, 1.8)
        }
        return e < 0 ? -r : r
    }

    /// Exact encode L -> E in Double.
    public static func encode(_ l: Double, _ tf: TransferFunction) -> Double {
        let a = abs(l)
        let r: Double
        switch tf {
        case .linear: return l
        case .sRGB: r = a <= sRGBEncodeThreshold ? a * 12.92 : 1.055 * pow(a, 1 / 2.4) - 0.055
        case .gamma(let g): r = pow(a, 1 / Double(g))
        case .proPhoto: r = a < 1.0 / 512.0 ? a * 16.0 : pow(a, 1 / 1.8)
        }
        return l < 0 ? -r : r
    }

    /// Exact decode in Float (computed in Double).
    @inlinable public static func decode(_ e: Float, _ tf: TransferFunction) -> Float {
        Float(decode(Double(e), tf))
    }

    /// Exact encode in Float (computed in Double).
    @inlinable public static func encode(_ l: Float, _ tf: TransferFunction) -> Float {
        Float(encode(Double(l), tf))
    }

    // MARK: Integer decode tables

    /// 256-entry table: entry i = decode(i / 255).
    public static func decodeTable8(_ tf: TransferFunction) -> [Float] {
        switch tf {
        case .sRGB: return sRGBTable8
        case .proPhoto: return proPhotoTable8
        default: return makeDecodeTable(count: 256, tf)
        }
    }

    /// 65536-entry table: entry i = decode(i / 65535).
    public static func decodeTable16(_ tf: TransferFunction) -> [Float] {
        switch tf {
        case .sRGB: return sRGBTable16
        case .proPhoto: return proPhotoTable16
        default: return makeDecodeTable(count: 65536, tf)
        }
    }

    private static let sRGBTable8 = makeDecodeTable(count: 256, .sRGB)
    private static let proPhotoTable8 = makeDecodeTable(count: 256, .proPhoto)
    private static let sRGBTable16 = makeDecodeTable(count: 65536, .sRGB)
    private static let proPhotoTable16 = makeDecodeTable(count: 65536, .proPhoto)

    private static func makeDecodeTable(count: Int, _ tf: TransferFunction) -> [Float] {
        let scale = 1.0 / Double(count - 1)
        return (0..<count).map { Float(decode(Double($0) * scale, tf)) }
    }

    /// Decodes 8-bit samples to linear light through the 256-entry table.
    public static func decode8(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutableBufferPointer<Float>,
                               _ tf: TransferFunction) {
        precondition(dst.count >= src.count, "destination too small")
        decodeTable8(tf).withUnsafeBufferPointer { t in
            for i in 0..<src.count { dst[i] = t[Int(src[i])] }
        }
    }

    /// Decodes 16-bit samples to linear light through the 65536-entry table.
    public static func decode16(_ src: UnsafeBufferPointer<UInt16>, into dst: UnsafeMutableBufferPointer<Float>,
                                _ tf: TransferFunction) {
        precondition(dst.count >= src.count, "destination too small")
        decodeTable16(tf).withUnsafeBufferPointer { t in
            for i in 0..<src.count { dst[i] = t[Int(src[i])] }
        }
    }

    // MARK: Fast float curves

    /// Fast encode (linear -> encoded) for float loops: ``FastTransfer`` (polynomial log2/exp2,
    /// no calls, vectorises), relative error about 3e-6.
    public static func fastEncoder(_ tf: TransferFunction) -> FastTransfer {
        switch tf {
        case .linear: return .identity
        case .sRGB: return FastTransfer(threshold: Float(sRGBEncodeThreshold), slope: 12.92, power: 1 / 2.4,
                                        scale: 1.055, offset: -0.055)
        case .gamma(let g): return FastTransfer(threshold: .leastNormalMagnitude, slope: 0, power: 1 / g)
        case .proPhoto: return FastTransfer(threshold: 1.0 / 512.0, slope: 16, power: 1 / 1.8)
        }
    }

    /// Fast decode (encoded -> linear) for float loops; see ``fastEncoder(_:)``.
    public static func fastDecoder(_ tf: TransferFunction) -> FastTransfer {
        switch tf {
        case .linear: return .identity
        case .sRGB: return FastTransfer(threshold: Float(sRGBDecodeThreshold), slope: 1 / 12.92, mul: 1 / 1.055,
                                        add: 0.055 / 1.055, power: 2.4)
        case .gamma(let g): return FastTransfer(threshold: .leastNormalMagnitude, slope: 0, power: g)
        case .proPhoto: return FastTransfer(threshold: 16.0 / 512.0, slope: 1.0 / 16.0, power: 1.8)
        }
    }

    /// Applies `tf`'s decode in place to `values` (fast path, parallel). Linear is a no-op.
    public static func decodeInPlace(_ values: UnsafeMutableBufferPointer<Float>, _ tf: TransferFunction) {
        if tf == .linear { return }
        fastDecoder(tf).applyParallel(values)
    }

    /// Applies `tf`'s encode in place to `values` (fast path, parallel). Linear is a no-op.
    public static func encodeInPlace(_ values: UnsafeMutableBufferPointer<Float>, _ tf: TransferFunction) {
        if tf == .linear { return }
        fastEncoder(tf).applyParallel(values)
    }
}

/// A monotone odd curve f evaluated by a table indexed with the bits of the float input: for
/// arbitrary curves (e.g. an ICC TRC read by LittleCMS) where ``FastTransfer`` does not apply.
///
/// The table holds f at 2^16 / 2^23 = 128 points per octave over |x| in [2^-32, 2^16]; between
/// points, linear interpolation on the mantissa. For f = x^p the relative interpolation error is
/// about p |p - 1| / (8 * 128^2): 1.8e-6 for p = 1/2.4, 2.6e-5 for p = 2.4. Below 2^-32 the curve
/// is continued linearly through 0 (f(x) = x * f(2^-32) / 2^-32); above 2^16 it is clamped to
/// f(2^16). The loop has no calls and no data-dependent branches, only selects and one gather.
public struct FastCurve: Sendable {
    @usableFromInline static let mantissaShift: UInt32 = 16
    @usableFromInline static let lowBits: UInt32 = Float(0x1p-32).bitPattern
    @usableFromInline static let highBits: UInt32 = Float(0x1p16).bitPattern

    /// f at the table points; last entry duplicated so index + 1 is always valid.
    public let table: [Float]
    /// f(2^-32) / 2^-32, the slope used below the table.
    public let lowSlope: Float

    /// Builds the table from a Double function (assumed odd: f(-x) = -f(x)).
    public init(_ f: (Double) -> Double) {
        let n = Int((Self.highBits - Self.lowBits) >> Self.mantissaShift) + 1
        var t = [Float](repeating: 0, count: n + 1)
        for i in 0..<n {
            let x = Float(bitPattern: Self.lowBits + (UInt32(i) << Self.mantissaShift))
            t[i] = Float(f(Double(x)))
        }
        t[n] = t[n - 1]
        table = t
        lowSlope = Float(f(0x1p-32) / 0x1p-32)
    }

    /// f(x) for one value.
    @inlinable public func callAsFunction(_ x: Float) -> Float {
        table.withUnsafeBufferPointer { Self.eval(x, $0.baseAddress!, lowSlope) }
    }

    @inlinable @inline(__always)
    static func eval(_ x: Float, _ t: UnsafePointer<Float>, _ lowSlope: Float) -> Float {
        let bits = x.bitPattern
        let sign = bits & 0x8000_0000
        let mag = min(max(bits & 0x7fff_ffff, lowBits), highBits) &- lowBits
        let idx = Int(mag >> mantissaShift)
        let frac = Float(mag & ((1 << mantissaShift) - 1)) * (1.0 / Float(1 << mantissaShift))
        let a = t[idx], b = t[idx + 1]
        let y = a + frac * (b - a)
        let r = (bits & 0x7fff_ffff) < lowBits ? Float(bitPattern: bits & 0x7fff_ffff) * lowSlope : y
        return Float(bitPattern: r.bitPattern | sign)
    }

    /// Applies f in place.
    public func apply(_ values: UnsafeMutableBufferPointer<Float>) {
        guard let p = values.baseAddress else { return }
        let n = values.count, s = lowSlope
        table.withUnsafeBufferPointer { tb in
            let t = tb.baseAddress!
            for i in 0..<n { p[i] = Self.eval(p[i], t, s) }
        }
    }

    /// Applies f in place, split over threads with ``Parallel/forRanges(_:minChunk:_:)``.
    public func applyParallel(_ values: UnsafeMutableBufferPointer<Float>) {
        guard let base = values.baseAddress else { return }
        nonisolated(unsafe) let p = base
        Parallel.forRanges(values.count, minChunk: 65536) { r in
            self.apply(UnsafeMutableBufferPointer(start: p + r.lowerBound, count: r.count))
        }
    }
}
