import LuxImage

/// A 3x3 matrix in Double, row-major: `m[r][c]` is `m.e[3 * r + c]`. Acts on column vectors.
public struct Matrix3: Sendable, Equatable, CustomStringConvertible {
    public var e: [Double]

    public init(_ rows: [[Double]]) {
        precondition(rows.count == 3 && rows.allSatisfy { $0.count == 3 }, "Matrix3 needs 3x3 values")
        e = rows.flatMap { $0 }
    }

    public init(elements: [Double]) {
        precondition(elements.count == 9, "Matrix3 needs 9 values")
        e = elements
    }

    public static let identity = Matrix3([[1, 0, 0], [0, 1, 0], [0, 0, 1]])

    public subscript(r: Int, c: Int) -> Double {
        get { e[3 * r + c] }
        set { e[3 * r + c] = newValue }
    }

    public static func diagonal(_ v: SIMD3<Double>) -> Matrix3 {
        Matrix3([[v.x, 0, 0], [0, v.y, 0], [0, 0, v.z]])
    }

    public static func * (a: Matrix3, b: Matrix3) -> Matrix3 {
        var out = [Double](repeating: 0, count: 9)
        for r in 0..<3 { for c in 0..<3 { for k in 0..<3 { out[3 * r + c] += a[r, k] * b[k, c] } } }
        return Matrix3(elements: out)
    }

    public static func * (a: Matrix3, v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(a[0, 0] * v.x + a[0, 1] * v.y + a[0, 2] * v.z,
              a[1, 0] * v.x + a[1, 1] * v.y + a[1, 2] * v.z,
              a[2, 0] * v.x + a[2, 1] * v.y + a[2, 2] * v.z)
    }

    /// The inverse (adjugate / determinant). Precondition: not singular.
    public var inverse: Matrix3 {
        let a = self
        let c00 = a[1, 1] * a[2, 2] - a[1, 2] * a[2, 1]
        let c01 = a[1, 2] * a[2, 0] - a[1, 0] * a[2, 2]
        let c02 = a[1, 0] * a[2, 1] - a[1, 1] * a[2, 0]
        let det = a[0, 0] * c00 + a[0, 1] * c01 + a[0, 2] * c02
        precondition(abs(det) > 1e-300, "singular matrix")
        let inv = 1 / det
        return Matrix3([
            [c00 * inv, (a[0, 2] * a[2, 1] - a[0, 1] * a[2, 2]) * inv, (a[0, 1] * a[1, 2] - a[0, 2] * a[1, 1]) * inv],
            [c01 * inv, (a[0, 0] * a[2, 2] - a[0, 2] * a[2, 0]) * inv, (a[0, 2] * a[1, 0] - a[0, 0] * a[1, 2]) * inv],
            [c02 * inv, (a[0, 1] * a[2, 0] - a[0, 0] * a[2, 1]) * inv, (a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0]) * inv],
        ])
    }

    /// Largest absolute difference from the identity.
    public var distanceFromIdentity: Double {
        (0..<9).map { abs(e[$0] - Matrix3.identity.e[$0]) }.max()!
    }

    public var description: String {
        (0..<3).map { r in (0..<3).map { String(self[r, $0]) }.joined(separator: " ") }.joined(separator: " / ")
    }
}

/// Chromaticities (CIE 1931 xy) of a set of primaries and their white point.
public struct Chromaticities: Sendable, Equatable {
    public var red: SIMD2<Double>, green: SIMD2<Double>, blue: SIMD2<Double>, white: SIMD2<Double>

    public init(red: SIMD2<Double>, green: SIMD2<Double>, blue: SIMD2<Double>, white: SIMD2<Double>) {
        self.red = red; self.green = green; self.blue = blue; self.white = white
    }

    /// CIE D65 (x 0.3127, y 0.3290) and D50 (x 0.3457, y 0.3585).
    public static let d65 = SIMD2<Double>(0.3127, 0.3290)
    public static let d50 = SIMD2<Double>(0.3457, 0.3585)
}

/// XYZ (Y = 1) of an xy chromaticity: X = x / y, Z = (1 - x - y) / y.
public func xyToXYZ(_ xy: SIMD2<Double>) -> SIMD3<Double> {
    SIMD3(xy.x / xy.y, 1, (1 - xy.x - xy.y) / xy.y)
}

extension Primaries {
    /// The xy chromaticities of the primaries and white point.
    public var chromaticities: Chromaticities {
        switch self {
        case .sRGB:
            return Chromaticities(red: [0.64, 0.33], green: [0.30, 0.60], blue: [0.15, 0.06], white: Chromaticities.d65)
        case .displayP3:
            return Chromaticities(red: [0.680, 0.320], green: [0.265, 0.690], blue: [0.150, 0.060], white: Chromaticities.d65)
        case .adobeRGB:
            return Chromaticities(red: [0.64, 0.33], green: [0.21, 0.71], blue: [0.15, 0.06], white: Chromaticities.d65)
        case .proPhoto:
            return Chromaticities(red: [0.7347, 0.2653], green: [0.1596, 0.8404], blue: [0.0366, 0.0001],
                                  white: Chromaticities.d50)
        case .rec2020:
            return Chromaticities(red: [0.708, 0.292], green: [0.170, 0.797], blue: [0.131, 0.046], white: Chromaticities.d65)
        }
    }

    /// XYZ of the white point (Y = 1).
    public var whiteXYZ: SIMD3<Double> { xyToXYZ(chromaticities.white) }

    /// RGB (linear) -> XYZ relative to this space's own white: columns are the primaries' XYZ,
    /// scaled so that RGB (1, 1, 1) maps to the white point (SMPTE RP 177).
    public var toXYZ: Matrix3 {
        let c = chromaticities
        var m = Matrix3(elements: [Double](repeating: 0, count: 9))
        let cols = [xyToXYZ(c.red), xyToXYZ(c.green), xyToXYZ(c.blue)]
        for col in 0..<3 { for r in 0..<3 { m[r, col] = cols[col][r] } }
        let s = m.inverse * xyToXYZ(c.white)
        return m * Matrix3.diagonal(s)
    }

    /// XYZ -> RGB (linear), relative to this space's own white.
    public var fromXYZ: Matrix3 { toXYZ.inverse }

    /// RGB -> XYZ adapted to the ICC PCS white D50 (Bradford), as stored in ICC colorant tags.
    public var toXYZD50: Matrix3 {
        Bradford.adaptation(from: whiteXYZ, to: Bradford.iccD50) * toXYZ
    }

    /// The matrix taking linear RGB in `self` to linear RGB in `target`, with Bradford adaptation
    /// when the white points differ.
    public func matrix(to target: Primaries) -> Matrix3 {
        if self == target { return .identity }
        let cat = Bradford.adaptation(from: whiteXYZ, to: target.whiteXYZ)
        return target.fromXYZ * cat * toXYZ
    }
}

/// Bradford chromatic adaptation (von Kries in the sharpened Bradford cone space).
public enum Bradford {
    /// The Bradford cone response matrix.
    public static let cone = Matrix3([[0.8951, 0.2664, -0.1614], [-0.7502, 1.7135, 0.0367], [0.0389, -0.0685, 1.0296]])
    /// The ICC profile connection space white (D50 as stored in ICC v4: 0.9642, 1, 0.8249).
    public static let iccD50 = SIMD3<Double>(0.9642, 1.0, 0.8249)

    /// XYZ under `src` white -> XYZ under `dst` white: M^-1 diag(M dst / M src) M.
    public static func adaptation(from src: SIMD3<Double>, to dst: SIMD3<Double>) -> Matrix3 {
        let s = cone * src, d = cone * dst
        return cone.inverse * Matrix3.diagonal(d / s) * cone
    }

    /// D65 -> D50 and D50 -> D65 (CIE xy whites).
    public static let d65ToD50 = adaptation(from: xyToXYZ(Chromaticities.d65), to: xyToXYZ(Chromaticities.d50))
    public static let d50ToD65 = adaptation(from: xyToXYZ(Chromaticities.d50), to: xyToXYZ(Chromaticities.d65))
}

/// Applying 3x3 matrices to planar RGB.
public enum PlanarMatrix {
    /// out = M * (r, g, b) for every pixel of three planes of `count` values each, in place,
    /// split over threads. Plane c starts at `base + c * planeStride`.
    public static func apply(_ m: Matrix3, to base: UnsafeMutablePointer<Float>, count: Int, planeStride: Int) {
        let f = m.e.map { Float($0) }
        nonisolated(unsafe) let p = base
        Parallel.forRanges(count, minChunk: 32768) { range in
            let r = p + range.lowerBound, g = r + planeStride, b = g + planeStride
            let m00 = f[0], m01 = f[1], m02 = f[2], m10 = f[3], m11 = f[4], m12 = f[5]
            let m20 = f[6], m21 = f[7], m22 = f[8]
            for i in 0..<range.count {
                let x = r[i], y = g[i], z = b[i]
                r[i] = m00 * x + m01 * y + m02 * z
                g[i] = m10 * x + m11 * y + m12 * z
                b[i] = m20 * x + m21 * y + m22 * z
            }
        }
    }

    /// Applies `m` to the RGB planes of `image` in place (alpha untouched). Skips identity.
    public static func apply(_ m: Matrix3, to image: inout Image) {
        if m.distanceFromIdentity < 1e-12 { return }
        let n = image.planeCount
        image.pixels.withUnsafeMutableBufferPointer { buf in
            apply(m, to: buf.baseAddress!, count: n, planeStride: n)
        }
    }
}
