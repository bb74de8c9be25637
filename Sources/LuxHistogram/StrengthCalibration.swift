import Foundation
import LuxImage
import LuxTensor

/// Measures, on training photos, how the engine's output quality depends on its strength, to calibrate
/// ``AdaptiveStrength`` (`lux train histogram --calibrate`).
///
/// Protocol, the validation's (``HistogramValidation``) on other photos and seeds: each linear photo
/// is rendered well exposed (the original), given one seeded ``RandomEdit`` per seed (seed `seed + index`,
/// never the identity), moved all the way onto the network's prediction (`T(x)`), and the blend
/// `x + s·(T(x) − x)` is scored against the original for every `s` of ``grid``.
public enum StrengthCalibration {
    /// The strengths scored for each edit: 0, 0.025, …, 1.
    public static let grid: [Float] = (0...40).map { Float($0) / 40 }

    /// One (photo, edit) pair.
    public struct Sample: Sendable {
        public var name: String
        public var seed: UInt64
        /// The network's distance of the photo from a good one (``AdaptiveStrength/distance(input:predicted:)``).
        public var distance: Double
        /// RMS of `T(x) − x` (sRGB-encoded): how far the full transfer moves the photo.
        public var move: Double
        /// PSNR (dB) and mean CIEDE2000 of the blend against the original at each strength of ``grid``
        /// (index 0: the edited input itself).
        public var psnr: [Double]
        public var de: [Double]

        public init(name: String, seed: UInt64, distance: Double, move: Double, psnr: [Double], de: [Double]) {
            precondition(psnr.count == grid.count && de.count == grid.count, "one score per grid strength")
            self.name = name; self.seed = seed; self.distance = distance; self.move = move; self.psnr = psnr; self.de = de
        }

        /// PSNR and CIEDE2000 at strength `s`, interpolated linearly between grid points.
        public func metrics(at s: Float) -> (psnr: Double, de: Double) {
            let t = Double(Swift.min(Swift.max(s, 0), 1)) * Double(grid.count - 1)
            let i = Swift.min(Int(t), grid.count - 2), f = t - Double(i)
            return (psnr[i] + f * (psnr[i + 1] - psnr[i]), de[i] + f * (de[i + 1] - de[i]))
        }

        /// Whether the blend at `s` beats the edited input on both PSNR and CIEDE2000 (the validation's "wins").
        public func wins(at s: Float) -> Bool {
            let m = metrics(at: s)
            return m.psnr > psnr[0] && m.de < de[0]
        }
    }

    /// Scores the engine (its network, transfer and regrain; its strength is ignored) on the linear
    /// photos at `paths`, one edit per photo and seed.
    public static func samples(paths: [String], enhancer: HistogramEnhancer, seeds: [UInt64],
                               progress: ((Int, Int) -> Void)? = nil) throws -> [Sample] {
        var out: [Sample] = []
        let total = paths.count * seeds.count
        for (k, path) in paths.enumerated() {
            let original = try HistogramTrainingData.loadLinear(path)
            for seed in seeds {
                let edited = HistogramValidation.edit(seed: seed, index: k).apply(original)
                let h = HistogramNet.histogram(edited.thumbnail(maxSide: enhancer.side), bins: enhancer.net.bins)
                let predicted = enhancer.net.predict(h)
                let full = enhancer.apply(histogram: predicted, to: edited)
                var psnr: [Double] = [], de: [Double] = []
                for s in grid {
                    let img = s == 0 ? edited : HistogramEnhancer.blend(from: edited, to: full, amount: s)
                    psnr.append(try ImageMetrics.psnr(img, original))
                    de.append(try HistogramValidation.meanDE(img, original))
                }
                out.append(Sample(name: (path as NSString).lastPathComponent, seed: seed,
                                  distance: AdaptiveStrength.distance(input: h, predicted: predicted),
                                  move: (try ImageMetrics.mse(full, edited)).squareRoot(), psnr: psnr, de: de))
                progress?(out.count, total)
            }
        }
        return out
    }

    /// The samples as CSV: name, seed, distance, move, then PSNR and CIEDE2000 at each grid strength.
    public static func csv(_ samples: [Sample]) -> String {
        var s = "name,seed,distance,move," + grid.map { "psnr\($0)" }.joined(separator: ",") + "," + grid.map { "de\($0)" }.joined(separator: ",") + "\n"
        for x in samples {
            s += "\(x.name),\(x.seed),\(x.distance),\(x.move)," + x.psnr.map { String(format: "%.4f", $0) }.joined(separator: ",")
                + "," + x.de.map { String(format: "%.4f", $0) }.joined(separator: ",") + "\n"
        }
        return s
    }

    /// Reads ``csv(_:)`` output.
    public static func samples(csv text: String) throws -> [Sample] {
        var lines = text.split(whereSeparator: \.isNewline)
        guard !lines.isEmpty else { return [] }
        lines.removeFirst()
        let n = grid.count
        return try lines.map { line in
            let f = line.split(separator: ",").map(String.init)
            guard f.count == 4 + 2 * n, let seed = UInt64(f[1]), let d = Double(f[2]), let m = Double(f[3]) else {
                throw HistogramError.noData("calibration CSV: bad line \(line.prefix(40))")
            }
            let v = try f[4...].map { s in
                guard let x = Double(s) else { throw HistogramError.noData("calibration CSV: bad number \(s)") }
                return x
            }
            return Sample(name: f[0], seed: seed, distance: d, move: m, psnr: Array(v[0..<n]), de: Array(v[n...]))
        }
    }

    /// Wins and mean changes (output − edited input) of PSNR and CIEDE2000 over samples, at the strength
    /// `strength` picks for each.
    public struct Summary: Sendable, CustomStringConvertible {
        public var wins = 0, count = 0
        public var psnrGain = 0.0, deChange = 0.0
        public var description: String {
            String(format: "wins %d/%d (%.1f %%), mean PSNR %+.3f dB, mean dE00 %+.3f", wins, count,
                   100 * Double(wins) / Double(Swift.max(count, 1)), psnrGain, deChange)
        }
    }

    public static func summary(_ samples: [Sample], strength: (Sample) -> Float) -> Summary {
        var r = Summary()
        for x in samples {
            let s = strength(x), m = x.metrics(at: s)
            if x.wins(at: s) { r.wins += 1 }
            r.psnrGain += m.psnr - x.psnr[0]; r.deChange += m.de - x.de[0]; r.count += 1
        }
        r.psnrGain /= Double(Swift.max(r.count, 1)); r.deChange /= Double(Swift.max(r.count, 1))
        return r
    }

    /// The searched rules: `sMax` 0.30…1.00 (step 0.05), `b`, `p` ∈ {1, 2}, cap `c` (none or 0.03…0.10).
    public static let searchMax: [Double] = (6...20).map { Double($0) / 20 }
    public static let searchHalf: [Double] = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4]
    public static let searchPower: [Double] = [1, 2]
    public static let searchMove: [Double?] = [nil, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1]

    /// Fits ``AdaptiveStrength``: of the searched rules whose mean PSNR gain and mean CIEDE2000 change
    /// are at least as good as the fixed strength `reference`'s on the same samples, the one with the
    /// most wins (ties: the larger mean PSNR gain). The constraint keeps the fit from buying wins with
    /// timid edits (a strength near 0 "wins" whenever the first step is right but barely changes the photo).
    public static func fit(_ samples: [Sample], reference: Float = 0.5) -> (rule: AdaptiveStrength, fitted: Summary, reference: Summary) {
        let ref = summary(samples) { _ in reference }
        var best: (AdaptiveStrength, Summary)?
        for sMax in searchMax { for b in searchHalf { for p in searchPower { for c in searchMove {
            let rule = AdaptiveStrength(maxStrength: sMax, halfDistance: b, power: p, maxMove: c)
            let r = summary(samples) { rule.strength(distance: $0.distance, move: $0.move) }
            guard r.psnrGain >= ref.psnrGain, r.deChange <= ref.deChange else { continue }
            if let (_, bs) = best, (r.wins, r.psnrGain) <= (bs.wins, bs.psnrGain) { continue }
            best = (rule, r)
        } } } }
        let (rule, fitted) = best ?? (AdaptiveStrength(maxStrength: Double(reference), halfDistance: 0, power: 1), ref)
        return (rule, fitted, ref)
    }
}
