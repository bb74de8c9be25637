import Foundation
import LuxHistogram

/// `lux train histogram --calibrate`: scores the engine at every strength on training photos (or reads
/// earlier scores), fits the per-photo strength and writes the model with it
/// (``LuxHistogram/StrengthCalibration``).
extension TrainHistogramCommand {
    func runCalibration() throws {
        let source = try model.map { URL(fileURLWithPath: $0) } ?? HistogramNet.defaultURL()
        var samples: [StrengthCalibration.Sample] = []
        if calibrateFrom.isEmpty {
            let net = try HistogramNet(contentsOf: source)
            let paths = try HistogramTrainingData.files(in: linear[0], exclude: Set(try excluded()))
            log("scoring \(paths.count) photos × \(calibrateSeeds.count) edits at \(StrengthCalibration.grid.count) strengths")
            let t0 = Date()
            samples = try StrengthCalibration.samples(paths: paths, enhancer: HistogramEnhancer(net: net), seeds: calibrateSeeds) { done, total in
                if done % 50 == 0 || done == total { log(String(format: "%d/%d edits scored (%.0f s)", done, total, Date().timeIntervalSince(t0))) }
            }
            if let calibrateCSV { try StrengthCalibration.csv(samples).write(toFile: calibrateCSV, atomically: true, encoding: .utf8) }
        } else {
            for path in calibrateFrom { samples += try StrengthCalibration.samples(csv: String(contentsOfFile: path, encoding: .utf8)) }
        }
        let (rule, fitted, reference) = StrengthCalibration.fit(samples)
        print("calibration edits: \(samples.count) (\(Set(samples.map(\.name)).count) photos, seeds \(Set(samples.map(\.seed)).sorted().map(String.init).joined(separator: " ")))")
        print("fixed strength 0.5: \(reference)")
        print("adaptive \(rule): \(fitted)")
        if let out {
            try HistogramNet.writeCalibrated(source, to: URL(fileURLWithPath: out), strength: rule)
            print("wrote \(out)")
        }
    }
}
