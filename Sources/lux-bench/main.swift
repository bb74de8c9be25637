import Foundation

// lux-bench: a tiny dispatcher; each benchmark lives in its own file.
let benches: [String: (summary: String, run: ([String]) throws -> Void)] = [
    "codecs": ("24 MP JPEG and 16-bit TIFF decode + encode, against `vips copy`", CodecBench.run(arguments:)),
    "tensor": ("GEMM peak (OpenBLAS, oneDNN) and CNN / U-Net training steps/s", { TensorBench.run($0) }),
    "filters": ("8-step recipe on a 24 MP Float32 image, against memcpy", { _ in try FilterBench.run() }),
    "enhance": ("24 MP JPEG end to end (decode, agent, render, encode) as `lux enhance`, against `vips copy`", EnhanceBench.run(arguments:)),
    "transfer": ("Pitié colour transfer of a 24 MP image, 10 iterations + regrain (median, MP/s)", TransferBench.run(arguments:)),
    "reexpose": ("24 MP JPEG through `lux reexpose --ev -1` (radiance map + re-exposure), as is and over-exposed", ReexposeBench.run(arguments:)),
    "correct": ("24 MP JPEG end to end as `lux correct` (network at 512 px, guided-filter transfer), against `vips copy`", CorrectBench.run(arguments:)),
    "serve": ("500 POST /v1/enhance at concurrency 8 against one `lux serve` on loopback: throughput, p50/p99, memory", ServeBench.run(arguments:)),
    "imageops": ("resampling, pyramids, colour conversions, histograms on 24 MP", { _ in ImageOpsBench.run() }),
]

let args = Array(CommandLine.arguments.dropFirst())
guard let name = args.first, let bench = benches[name] else {
    print("usage: lux-bench <mode> [options]")
    for key in benches.keys.sorted() { print("  \(key.padding(toLength: 9, withPad: " ", startingAt: 0)) \(benches[key]!.summary)") }
    exit(args.isEmpty ? 0 : 2)
}
do {
    try bench.run(Array(args.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("lux-bench: error: \(error)\n".utf8))
    exit(1)
}
