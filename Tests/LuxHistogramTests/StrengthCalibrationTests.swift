import Foundation
import Testing
@testable import LuxHistogram

@Suite("Strength calibration")
struct StrengthCalibrationTests {
    /// A synthetic edit whose PSNR gain is the parabola `g·s·(2σ − s)` (best at `s = σ`, a loss beyond
    /// `2σ`) and whose CIEDE2000 falls by the same amount: the shape of a blend towards a noisy target.
    static func sample(distance: Double, best sigma: Double, gain g: Double = 4, move: Double = 0.05) -> StrengthCalibration.Sample {
        let p = StrengthCalibration.grid.map { s in 20 + g * Double(s) * (2 * sigma - Double(s)) }
        let e = StrengthCalibration.grid.map { s in 10 - g * Double(s) * (2 * sigma - Double(s)) }
        return .init(name: "x.png", seed: 1, distance: distance, move: move, psnr: p, de: e)
    }

    @Test func metricsInterpolateAndWinsNeedBothMetrics() {
        let x = Self.sample(distance: 1, best: 0.3)
        #expect(abs(x.metrics(at: 0.3).psnr - (20 + 4 * 0.09)) < 1e-6)
        let mid = x.metrics(at: 0.0125).psnr, lo = x.psnr[0], hi = x.psnr[1]
        #expect(abs(mid - (lo + hi) / 2) < 1e-6, "linear between grid points")
        #expect(x.wins(at: 0.3) && x.wins(at: 0.55) && !x.wins(at: 0.65) && !x.wins(at: 0))
        var y = x
        y.de = y.de.map { 2 * y.de[0] - $0 }  // CIEDE2000 rises: no strength wins
        #expect(!y.wins(at: 0.3))
    }

    @Test func fitLearnsToMoveFurtherWhenTheNetworkIsFarFromTheInput() {
        // Near photos (d = 0.3) are best left nearly alone (σ = 0.1), far ones (d = 5) want σ = 0.8: no fixed
        // strength wins both, a rising s(d) does.
        var samples: [StrengthCalibration.Sample] = []
        for _ in 0..<20 { samples.append(Self.sample(distance: 0.3, best: 0.1, gain: 1)); samples.append(Self.sample(distance: 5, best: 0.8)) }
        let (rule, fitted, reference) = StrengthCalibration.fit(samples)
        #expect(reference.wins == 20, "fixed 0.5 loses every near photo")
        #expect(fitted.wins == 40)
        #expect(fitted.psnrGain >= reference.psnrGain && fitted.deChange <= reference.deChange)
        #expect(rule.strength(distance: 0.3, move: 0.05) < 0.2 && rule.strength(distance: 5, move: 0.05) > 0.5)
    }

    @Test func csvRoundTrips() throws {
        let xs = [Self.sample(distance: 0.7, best: 0.4), Self.sample(distance: 2.5, best: 0.6, move: 0.11)]
        let back = try StrengthCalibration.samples(csv: StrengthCalibration.csv(xs))
        #expect(back.count == 2)
        for (a, b) in zip(xs, back) {
            #expect(a.name == b.name && a.seed == b.seed && a.distance == b.distance && a.move == b.move)
            #expect(zip(a.psnr, b.psnr).allSatisfy { abs($0 - $1) < 1e-4 } && zip(a.de, b.de).allSatisfy { abs($0 - $1) < 1e-4 })
        }
        #expect(throws: HistogramError.self) { try StrengthCalibration.samples(csv: "header\nx.png,1,2\n") }
    }
}
