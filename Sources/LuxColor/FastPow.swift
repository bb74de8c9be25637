import LuxImage

/// Branch-free log2 / exp2 / pow for positive normal Float, written so loops auto-vectorise.
public enum FastPow {
    /// log2(x) for normal x > 0. Mantissa reduced to [sqrt(1/2), sqrt(2)), then
    /// ln(m) = 2 atanh(t), t = (m - 1) / (m + 1), |t| <= 0.1716, series to t^9 (error < 2e-9).
    @inlinable @inline(__always)
    public static func log2(_ x: Float) -> Float {
        let bits = x.bitPattern
        var mbits = (bits & 0x007f_ffff) | 0x3f80_0000
        let big = mbits >= 0x3fb5_04f3
        mbits = big ? mbits &- 0x0080_0000 : mbits
        let e = Float(Int32(bitPattern: (bits >> 23) & 0xff) &- (big ? 126 : 127))
        let m = Float(bitPattern: mbits)
        let t = (m - 1) / (m + 1), t2 = t * t
        let s: Float = 1 + t2 * (1.0 / 3 + t2 * (1.0 / 5 + t2 * (1.0 / 7 + t2 * (1.0 / 9))))
        return e + t * s * 2.885_390_081_777_927 // 2 / ln 2
    }

    /// 2^y, y clamped to [-126, 126]: 2^round(y) from the exponent bits times a degree-6 Taylor
    /// polynomial of e^(f ln2) for f in [-0.5, 0.5] (relative error < 3e-8).
    @inlinable @inline(__always)
    public static func exp2(_ y: Float) -> Float {
        let c = min(max(y, -126), 126)
        // Round to nearest with the 1.5 * 2^23 trick: the integer lands in the low mantissa bits.
        let magic: Float = 12_582_912
        let kBiased = c + magic
        let k = kBiased - magic
        let f = (c - k) * 0.693_147_180_559_945_3
        let p: Float = 1 + f * (1 + f * (1.0 / 2 + f * (1.0 / 6 + f * (1.0 / 24 + f * (1.0 / 120 + f * (1.0 / 720))))))
        let scale = Float(bitPattern: (kBiased.bitPattern &- magic.bitPattern &+ 127) << 23)
        return p * scale
    }

    /// x^p for x > 0 (normal). Relative error about 1e-6 for |p log2 x| < 40.
    @inlinable @inline(__always)
    public static func pow(_ x: Float, _ p: Float) -> Float { exp2(p * log2(x)) }
}

/// A transfer curve in the form shared by all Lux curves, evaluated branch-free with ``FastPow``:
///
///     f(x) = sign(x) * (|x| < threshold ? slope * |x| : scale * (mul * |x| + add)^power + offset)
///
/// sRGB encode: (0.0031308, 12.92, 1, 0, 1/2.4, 1.055, -0.055); decode: (0.04045, 1/12.92,
/// 1/1.055, 0.055/1.055, 2.4, 1, 0). ROMM encode: (1/512, 16, 1, 0, 1/1.8, 1, 0). Pure gamma:
/// threshold = smallest normal float, slope 0 (so f(0) = 0). Relative error about 3e-6.
public struct FastTransfer: Sendable, Equatable {
    public var threshold: Float, slope: Float, mul: Float, add: Float, power: Float, scale: Float, offset: Float

    public init(threshold: Float, slope: Float, mul: Float = 1, add: Float = 0, power: Float,
                scale: Float = 1, offset: Float = 0) {
        self.threshold = threshold; self.slope = slope; self.mul = mul; self.add = add
        self.power = power; self.scale = scale; self.offset = offset
    }

    /// The identity (linear transfer): threshold infinity, slope 1.
    public static let identity = FastTransfer(threshold: .infinity, slope: 1, power: 1)
    public var isIdentity: Bool { self == .identity }

    /// f(x) for one value.
    @inlinable @inline(__always)
    public func callAsFunction(_ x: Float) -> Float {
        let bits = x.bitPattern
        let a = Float(bitPattern: bits & 0x7fff_ffff)
        let lin = a * slope
        let pw = scale * FastPow.pow(a * mul + add, power) + offset
        let r = a < threshold ? lin : pw
        return Float(bitPattern: r.bitPattern | (bits & 0x8000_0000))
    }

    /// Applies f in place (one thread; the loop vectorises to 8 lanes with AVX2).
    public func apply(_ values: UnsafeMutableBufferPointer<Float>) {
        guard let p = values.baseAddress else { return }
        let f = self
        for i in 0..<values.count { p[i] = f(p[i]) }
    }

    /// Applies f in place, split over threads with ``Parallel/forRanges(_:minChunk:_:)``.
    public func applyParallel(_ values: UnsafeMutableBufferPointer<Float>) {
        guard let base = values.baseAddress, !isIdentity else { return }
        nonisolated(unsafe) let p = base
        Parallel.forRanges(values.count, minChunk: 65536) { r in
            self.apply(UnsafeMutableBufferPointer(start: p + r.lowerBound, count: r.count))
        }
    }
}
