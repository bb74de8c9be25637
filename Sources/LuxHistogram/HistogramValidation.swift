import Foundation
import LuxImage
import LuxTensor

/// The validation protocol of the histogram engine: each held-out linear photo is rendered well exposed
/// (the original), given one seeded ``RandomEdit`` (seed `seed + index`), enhanced, and both the edited
/// input and the engine's output are compared with the original: PSNR (sRGB-encoded, peak 1) and mean
/// CIEDE2000. The engine "wins" on a photo when its output beats the edited input on both.
public enum HistogramValidation {
    public struct Row: Sendable {
        public var name: String
        public var inputPSNR: Double, outputPSNR: Double
        public var inputDE: Double, outputDE: Double
        public var inputKL: Double, outputKL: Double
        /// The engine's strength for this photo.
        public var strength: Float
        public var edit: String
        public var wins: Bool { outputPSNR > inputPSNR && outputDE < inputDE }
    }

    /// Evaluates `enhancer` on the linear photos at `paths`. With `oracle`, the network is bypassed and
    /// the photo is moved onto the *original's* histogram: the best the transfer step can do.
    public static func run(paths: [String], enhancer: HistogramEnhancer, seed: UInt64 = 2026, oracle: Bool = false) throws -> [Row] {
        var rows: [Row] = []
        for (k, path) in paths.enumerated() {
            let original = try HistogramTrainingData.loadLinear(path)
            let edit = Self.edit(seed: seed, index: k)
            let edited = edit.apply(original)
            let target = HistogramNet.histogram(original.thumbnail(maxSide: enhancer.side), bins: enhancer.net.bins)
            var result = enhancer.enhanceEncoded(edited)
            if oracle {
                result.image = enhancer.apply(histogram: target, to: edited)
                result.predictedHistogram = target
            }
            rows.append(Row(
                name: (path as NSString).lastPathComponent,
                inputPSNR: try ImageMetrics.psnr(edited, original), outputPSNR: try ImageMetrics.psnr(result.image, original),
                inputDE: try meanDE(edited, original), outputDE: try meanDE(result.image, original),
                inputKL: HistogramNet.kl(target, result.inputHistogram), outputKL: HistogramNet.kl(target, result.predictedHistogram),
                strength: result.strength, edit: edit.summary))
        }
        return rows
    }

    /// The seeded edit of the `index`-th photo for edit seed `seed` (seed `seed + index`, never the identity):
    /// the one protocol of the validation and of the strength calibration (``StrengthCalibration``).
    static func edit(seed: UInt64, index: Int) -> RandomEdit {
        var rng = RNG(seed: seed &+ UInt64(index))
        var edit = RandomEdit(rng: &rng, keepProbability: 0)
        edit.identity = false
        return edit
    }

    /// Mean CIEDE2000 of two sRGB-encoded images (colour space `.sRGB`: decoded by ``ImageMetrics``).
    static func meanDE(_ a: Image, _ b: Image) throws -> Double {
        precondition(a.colorSpace == .sRGB && b.colorSpace == .sRGB, "validation images are sRGB-encoded")
        return try ImageMetrics.meanCIEDE2000(a, b)
    }

    /// The table as printed by `lux train histogram --validate`.
    public static func table(_ rows: [Row]) -> String {
        var s = "photo        PSNR in  PSNR out   dE00 in  dE00 out   KL in  KL out  str   wins  edit\n"
        for r in rows {
            s += r.name.padding(toLength: 11, withPad: " ", startingAt: 0) + String(format: " %8.2f  %8.2f  %8.2f  %8.2f  %6.3f  %6.3f  ", r.inputPSNR, r.outputPSNR,
                        r.inputDE, r.outputDE, r.inputKL, r.outputKL) + String(format: "%.2f  ", r.strength) + (r.wins ? "yes " : "no  ") + "  " + r.edit + "\n"
        }
        let n = Double(max(rows.count, 1))
        s += "(PSNR in dB on sRGB-encoded values, dE00 = mean CIEDE2000, KL = KL(original ‖ ·) of 16³ histograms: edited input, raw network prediction; str = the engine's strength)\n"
        func mean(_ f: (Row) -> Double) -> Double { rows.map(f).reduce(0, +) / n }
        s += "mean       " + String(format: " %8.2f  %8.2f  %8.2f  %8.2f  %6.3f  %6.3f  %.2f  %d/%d\n",
                    mean(\.inputPSNR), mean(\.outputPSNR), mean(\.inputDE), mean(\.outputDE), mean(\.inputKL), mean(\.outputKL), mean { Double($0.strength) },
                    rows.filter(\.wins).count, rows.count)
        s += String(format: "model better on both PSNR and CIEDE2000: %.0f %%\n", 100 * Double(rows.filter(\.wins).count) / n)
        return s
    }
}
