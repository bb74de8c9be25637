import Foundation
import LuxCLI
import LuxCorrect
import LuxIO

/// `lux-bench correct [runs] [--model m.safetensors]`: a 24 MP JPEG end to end through the code path of
/// `lux correct` (decode, linearise + sRGB encode, box-downscale to 512 px, network, guided-filter transfer
/// to full resolution, JPEG encode, atomic write), median wall time of `runs` (default 5), beside
/// `vips copy` of the same file to JPEG quality 92 in the same run.
enum CorrectBench {
    static func run(arguments: [String]) throws {
        let (runs, model) = BenchSetup.start(arguments)
        let corrector = try model.map { try ExposureCorrector(contentsOf: URL(fileURLWithPath: $0)) } ?? ExposureCorrector.loadDefault()
        let dir = try BenchSetup.jpegFixture("correct")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in.jpg"
        let probe = try ImageIO.probe(path: input)
        print("fixture: \(probe.width)x\(probe.height) (\(String(format: "%.1f", Double(probe.width * probe.height) / 1e6)) MP), model: \(model ?? "embedded"), "
              + "\(corrector.network.parameterCount) parameters, \(runs) runs, median wall time\n")
        let vips = try CodecBench.median(runs) { try CodecBench.shell("vips", ["copy", input, dir + "/vips.jpg[Q=92]"]) }
        var total: [Double] = [], decode: [Double] = [], linear: [Double] = [], net: [Double] = [], encode: [Double] = []
        for _ in 0..<max(1, runs) {
            let start = DispatchTime.now().uptimeNanoseconds
            var (image, t, meta) = try CorrectCommand.process(input, corrector: corrector, options: CorrectOptions())
            t.encode = try EnhancePipeline.write(&image, source: meta, to: dir + "/lux.jpg", format: .jpeg, quality: 92)
            total.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            decode.append(t.decode); linear.append(t.linearize); net.append(t.enhance); encode.append(t.encode)
        }
        // The network alone at its 512 px size (the rest of "correct" is the downscale and the guided transfer).
        let low = try ImageIO.read(path: input).image.thumbnail(maxSide: 512)
        let netTime = try CodecBench.median(runs) { _ = corrector.runNetwork(low) }
        let m: ([Double]) -> Double = CodecBench.median
        print("case              lux s  (decode  linear  correct  encode)   vips s  lux/vips")
        print("correct 24MP JPEG" + String(format: " %6.3f  (%6.3f  %6.3f  %7.3f  %6.3f)  %7.3f  %8.2f",
                                            m(total), m(decode), m(linear), m(net), m(encode), vips, m(total) / vips))
        print(String(format: "network alone at %dx%d: %.3f s", low.width, low.height, netTime))
    }
}
