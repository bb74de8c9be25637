import Foundation
import LuxAgent
import LuxCLI
import LuxIO

/// `lux-bench enhance [runs] [--model m.safetensors]`: a 24 MP JPEG end to end through
/// ``EnhancePipeline/process(input:output:format:quality:enhancer:seed:maxPixels:)`` (the code path of
/// `lux enhance`: decode, linearise, agent + full-resolution render, sRGB encode, atomic write),
/// median wall time of `runs` (default 5), beside `vips copy` of the same file to JPEG quality 92 in
/// the same run, and the ratio Lux / vips (target: at most 1.5).
///
/// The agent is `--model`, else the embedded default; when neither loads (the agent not built yet) a
/// stand-in with a fixed 4-step recipe takes its place, and the table says so.
enum EnhanceBench {
    static func run(arguments: [String]) throws {
        let (runs, model) = BenchSetup.start(arguments)
        let (enhancer, agentName) = try makeEnhancer(model: model)

        let dir = try BenchSetup.jpegFixture("enhance")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in.jpg"
        let probe = try ImageIO.probe(path: input)
        let megapixels = Double(probe.width * probe.height) / 1e6
        print("fixture: \(probe.width)x\(probe.height) (\(String(format: "%.1f", megapixels)) MP), agent: \(agentName), \(runs) runs, median wall time\n")

        let vips = try CodecBench.median(runs) { try CodecBench.shell("vips", ["copy", input, dir + "/vips.jpg[Q=92]"]) }
        var total: [Double] = [], decode: [Double] = [], linear: [Double] = [], agent: [Double] = [], encode: [Double] = []
        var recipe = ""
        for _ in 0..<max(1, runs) {
            let start = DispatchTime.now().uptimeNanoseconds
            let (result, t) = try EnhancePipeline.process(input: input, output: dir + "/lux.jpg", format: .jpeg,
                                                          quality: 92, enhancer: enhancer)
            total.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            decode.append(t.decode); linear.append(t.linearize); agent.append(t.enhance); encode.append(t.encode)
            recipe = result.recipe.description
        }
        let m: ([Double]) -> Double = CodecBench.median
        print("recipe: \(recipe)")
        print("case              lux s  (decode  linear  agent+render  encode)   vips s  lux/vips  target")
        print("enhance 24MP JPEG" + String(format: " %6.3f  (%6.3f  %6.3f  %12.3f  %6.3f)  %7.3f  %8.2f  <= 1.5",
                                            m(total), m(decode), m(linear), m(agent), m(encode), vips, m(total) / vips))
    }

    /// The agent from `model`, else the embedded one, else the stand-in (fixed recipe).
    static func makeEnhancer(model: String?) throws -> (Enhancer, String) {
        do {
            if let model { return (Enhancer(agent: try EnhanceAgent(contentsOf: URL(fileURLWithPath: model)), output: .sRGB), model) }
            return (Enhancer(agent: try EnhanceAgent.loadDefault(), output: .sRGB), "embedded model")
        } catch {
            if model != nil { throw error }
            let settings = ["exposure=+0.3", "contrast=0.15", "saturation=0.1", "vibrance=0.1"]
            return (try Enhancer.fixed(settings: settings), "STAND-IN fixed recipe (no agent model: \(error))")
        }
    }
}
