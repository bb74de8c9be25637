import Foundation
import LuxCLI
import LuxHDR
import LuxImage
import LuxIO

/// `lux-bench reexpose [runs] [--model m.safetensors]`: a 24 MP JPEG through the code path of
/// `lux reexpose IN --ev -1 -o OUT.jpg` (decode + linearise, radiance map: mask, network at ≤ 512 px,
/// full-resolution blend, re-exposure + sRGB encode + atomic write), median wall time of `runs`
/// (default 5). Two fixtures: the codec bench's JPEG as is, and the same photo over-exposed by
/// +1.5 EV (many clipped pixels: the hallucinated regions are large).
enum ReexposeBench {
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    static func run(arguments: [String]) throws {
        let (runs, model) = BenchSetup.start(arguments)
        let hdr = try model.map { try HDRModel(contentsOf: URL(fileURLWithPath: $0)) } ?? HDRModel.loadDefault()
        let dir = try BenchSetup.jpegFixture("reexpose")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The over-exposed fixture: linear x 2^1.5, clipped, sRGB, JPEG q92.
        let base = try HDRPipeline.load(dir + "/in.jpg", crf: nil, maxPixels: DecodeOptions.defaultMaxPixels)
        let over = RadianceMap(image: base.linear, gain: 1, mask: []).reexposed(ev: 1.5, crf: .sRGB)
        try HDRPipeline.write(over, source: base.metadata, to: dir + "/over.jpg", format: .jpeg, quality: 92)
        let probe = try ImageIO.probe(path: dir + "/in.jpg")
        print("fixture: \(probe.width)x\(probe.height) (\(String(format: "%.1f", Double(probe.width * probe.height) / 1e6)) MP), "
              + "model: \(model ?? "embedded"), \(runs) runs, median wall time\n")
        print("case                        lux s  (load  radiance  render+encode)  clipped")
        for (name, file) in [("reexpose 24MP JPEG -1 EV", "in.jpg"), ("reexpose 24MP +1.5EV JPEG", "over.jpg")] {
            var total: [Double] = [], load: [Double] = [], rad: [Double] = [], enc: [Double] = []
            var clipped = 0.0
            for _ in 0..<max(1, runs) {
                let t0 = now()
                let src = try HDRPipeline.load(dir + "/" + file, crf: nil, maxPixels: DecodeOptions.defaultMaxPixels)
                let t1 = now()
                let map = hdr.reconstruct(linear: src.linear, crf: src.crf)
                let t2 = now()
                var img = map.reexposed(ev: -1, crf: src.crf)
                img.colorSpace = .sRGB
                try HDRPipeline.write(img, source: src.metadata, to: dir + "/out.jpg", format: .jpeg, quality: 92)
                let t3 = now()
                total.append(t3 - t0); load.append(t1 - t0); rad.append(t2 - t1); enc.append(t3 - t2)
                clipped = Double(map.mask.filter { $0 > 0 }.count) / Double(max(1, map.mask.count))
            }
            let m: ([Double]) -> Double = CodecBench.median
            print(name.padding(toLength: 26, withPad: " ", startingAt: 0)
                  + String(format: " %6.3f  (%5.3f  %8.3f  %13.3f)  %6.2f %%", m(total), m(load), m(rad), m(enc), 100 * clipped))
        }
    }
}
