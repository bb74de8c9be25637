import Foundation
import LuxImage

/// A global per-pixel colour mapping (the baseline): `Lab_out = W Φ(Lab_in)` with Yan et al.'s quadratic
/// basis Φ, one 3x10 matrix fitted by least squares on all training pixels. It shows how much of an
/// effect a context-free colour transform explains.
public struct GlobalColourMap: Sendable {
    /// Row-major 3 x ``AdjustConfig/basisSize``.
    public var weights: [Double]

    /// Least-squares fit (normal equations, ridge 1e-6) on every `stride`-th pixel of the photos.
    public static func fit(_ photos: [AdjustPhoto], stride: Int = 3) -> GlobalColourMap {
        let b = AdjustConfig.basisSize
        var ata = [Double](repeating: 0, count: b * b), atb = [Double](repeating: 0, count: b * 3)
        var phi = [Float](repeating: 0, count: b)
        for p in photos {
            let n = p.width * p.height
            for i in Swift.stride(from: 0, to: n, by: stride) {
                phi.withUnsafeMutableBufferPointer { LabFeatures.basis(p.inputLab[i], p.inputLab[n + i], p.inputLab[2 * n + i], into: $0.baseAddress!) }
                for r in 0..<b {
                    for c in 0..<b { ata[r * b + c] += Double(phi[r] * phi[c]) }
                    for c in 0..<3 { atb[r * 3 + c] += Double(phi[r]) * Double(p.targetLab[c * n + i]) }
                }
            }
        }
        for r in 0..<b { ata[r * b + r] += 1e-6 * max(ata[r * b + r], 1) }
        // Gauss-Jordan with partial pivoting on [AᵀA | AᵀB].
        var m = (0..<b).map { r in Array(ata[(r * b)..<((r + 1) * b)]) + Array(atb[(r * 3)..<((r + 1) * 3)]) }
        for col in 0..<b {
            let piv = (col..<b).max { abs(m[$0][col]) < abs(m[$1][col]) }!
            m.swapAt(col, piv)
            let d = m[col][col]
            for c in 0..<(b + 3) { m[col][c] /= d }
            for r in 0..<b where r != col {
                let f = m[r][col]
                if f != 0 { for c in 0..<(b + 3) { m[r][c] -= f * m[col][c] } }
            }
        }
        var w = [Double](repeating: 0, count: 3 * b)
        for r in 0..<b { for c in 0..<3 { w[c * b + r] = m[r][b + c] } }
        return GlobalColourMap(weights: w)
    }

    /// The mapped Lab planes of `lab` (planar, `3 * n`).
    public func apply(_ lab: [Float]) -> [Float] {
        let b = AdjustConfig.basisSize, n = lab.count / 3
        var out = lab
        var phi = [Float](repeating: 0, count: b)
        for i in 0..<n {
            phi.withUnsafeMutableBufferPointer { LabFeatures.basis(lab[i], lab[n + i], lab[2 * n + i], into: $0.baseAddress!) }
            for c in 0..<3 {
                var s = 0.0
                for r in 0..<b { s += weights[c * b + r] * Double(phi[r]) }
                out[c * n + i] = Float(s)
            }
        }
        return out
    }
}

/// The validation table of `lux train adjust --validate`: mean per-pixel L2 distance in CIE L*a*b* to the
/// photographer's version on held-out photos (Nam & Kim's Table 1 form), for the unadjusted input, the
/// global colour-map baseline and the model.
public struct AdjustValidation: Sendable {
    public var effect: AdjustEffect
    public var photos: Int
    public var input: Double
    public var global: Double
    public var model: Double
    /// A global colour map fitted on each validation photo's own target (not a method: the most any
    /// single global quadratic map per photo could achieve; what is left is local).
    public var oracle: Double
    public var ratio: Double { model / input }

    /// Evaluates `adjuster` on `validation` photos; the baseline is fitted on `training`. Outputs are
    /// compared as written to an 8-bit sRGB file (``LabFeatures/quantized8(_:)``), at the dataset's resolution.
    public static func run(effect: AdjustEffect, adjuster: PhotoAdjuster, validation: [AdjustPhoto], training: [AdjustPhoto],
                           perPhoto: ((String, Double, Double) -> Void)? = nil) throws -> AdjustValidation {
        let map = GlobalColourMap.fit(training)
        var inD = 0.0, glD = 0.0, mD = 0.0, orD = 0.0
        for p in validation {
            let din = LabFeatures.meanDistance(p.inputLab, p.targetLab)
            inD += din
            glD += LabFeatures.meanDistance(LabFeatures.planes(LabFeatures.quantized8(
                LabFeatures.image(fromPlanes: map.apply(p.inputLab), width: p.width, height: p.height))), p.targetLab)
            orD += LabFeatures.meanDistance(LabFeatures.planes(LabFeatures.quantized8(
                LabFeatures.image(fromPlanes: GlobalColourMap.fit([p]).apply(p.inputLab), width: p.width, height: p.height))), p.targetLab)
            let out = try adjuster.adjust(p.input).image
            let dm = LabFeatures.meanDistance(LabFeatures.planes(LabFeatures.quantized8(out)), p.targetLab)
            mD += dm
            perPhoto?(p.id, din, dm)
        }
        let k = Double(max(validation.count, 1))
        return AdjustValidation(effect: effect, photos: validation.count, input: inD / k, global: glD / k, model: mD / k, oracle: orD / k)
    }

    /// The table's header line.
    public static let header = "effect        photos  input L2  global L2  lux L2  ratio  (per-photo global fit)"

    /// One row of the table.
    public var row: String {
        effect.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)
            + String(format: "%6d  %8.2f  %9.2f  %6.2f  %5.2f  (%.2f)", photos, input, global, model, ratio, oracle)
    }
}
