import Foundation
import LuxIO

/// `lux-bench codecs`: decode + encode of a 24-megapixel photo through Lux versus `vips copy`.
///
/// Fixtures (made once per run in a temporary folder): `Samples/kodim23.png` upscaled to 6000x4000
/// with Lanczos-3 (`vips resize 7.8125`), mild Gaussian noise added (ImageMagick, so the JPEG is not
/// unnaturally smooth), saved as JPEG quality 92 and as 16-bit uncompressed TIFF.
/// Both sides write the same kind of file: JPEG quality 92; TIFF deflate with horizontal predictor
/// (what Lux's TIFF encoder writes). Each case runs `runs` times; the median wall time is reported with megapixels per second, and the
/// ratio Lux / vips (below 1 means Lux is faster). vips is timed as the command line a user would run,
/// process start included.
enum CodecBench {
    struct Case {
        let name: String
        let input: String
        let format: ImageFormat
        let bitDepth: Int
        let vipsTarget: String
    }

    static func run(arguments: [String]) throws {
        let runs = arguments.first.flatMap(Int.init) ?? 5
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lux-bench-codecs-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        try makeFixtures(in: dir, tiff16: true)
        let probe = try? ImageIO.probe(path: dir + "/in.jpg")
        let (w, h) = probe.map { ($0.width, $0.height) } ?? (6000, 4000)
        let megapixels = Double(w * h) / 1e6
        print("fixture: \(w)x\(h) (\(String(format: "%.1f", megapixels)) MP), \(runs) runs each, median wall time\n")

        let cases = [
            Case(name: "JPEG q92", input: dir + "/in.jpg", format: .jpeg, bitDepth: 8, vipsTarget: dir + "/vips.jpg[Q=92]"),
            Case(name: "TIFF 16-bit", input: dir + "/in16.tif", format: .tiff, bitDepth: 16, vipsTarget: dir + "/vips.tif[compression=deflate,predictor=horizontal]"),
        ]
        print("case           lux s  lux MP/s  (decode  encode)   vips s  vips MP/s  lux/vips")
        for c in cases {
            let vips = try median(runs) { try shell("vips", ["copy", c.input, c.vipsTarget]) }
            var decode: [Double] = [], encode: [Double] = [], total: [Double] = []
            var note = ""
            do {
                for _ in 0..<max(1, runs) {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let file = try ImageIO.read(path: c.input)
                    let t1 = DispatchTime.now().uptimeNanoseconds
                    try ImageIO.write(file, to: dir + "/lux." + c.format.fileExtension, format: c.format,
                                      options: EncodeOptions(quality: 92, bitDepth: c.bitDepth))
                    let t2 = DispatchTime.now().uptimeNanoseconds
                    decode.append(Double(t1 - t0) / 1e9)
                    encode.append(Double(t2 - t1) / 1e9)
                    total.append(Double(t2 - t0) / 1e9)
                }
            } catch {
                note = "  (lux: \(error))"
            }
            let luxCols = total.isEmpty ? "      -         -                  "
                : String(format: "%7.3f  %8.1f  (%6.3f  %6.3f)", median(total), megapixels / median(total), median(decode), median(encode))
            let ratio = total.isEmpty ? "        -" : String(format: "%9.2f", median(total) / vips)
            print(c.name.padding(toLength: 12, withPad: " ", startingAt: 0) + " " + luxCols
                  + String(format: "  %7.3f  %9.1f", vips, megapixels / vips) + " " + ratio + note)
        }
    }

    /// Makes the 24 MP fixtures in `dir` (see above): `in.jpg` (quality 92) and, when `tiff16`,
    /// `in16.tif` (16-bit uncompressed). Shared with `lux-bench enhance`.
    static func makeFixtures(in dir: String, tiff16: Bool) throws {
        let source = packageRoot + "/Samples/kodim23.png"
        print("making fixtures from \(source) in \(dir) ...")
        try shell("vips", ["resize", source, dir + "/big.tif", "7.8125", "--kernel", "lanczos3"])
        try shell("convert", [dir + "/big.tif", "-attenuate", "0.4", "+noise", "Gaussian", dir + "/noisy.tif"])
        try shell("convert", [dir + "/noisy.tif", "-quality", "92", dir + "/in.jpg"])
        if tiff16 { try shell("convert", [dir + "/noisy.tif", "-depth", "16", "-compress", "none", dir + "/in16.tif"]) }
    }

    /// The median of `values` (which must not be empty).
    static func median(_ values: [Double]) -> Double {
        let v = values.sorted()
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }

    /// Median wall time of `runs` calls of `body`, in seconds.
    static func median(_ runs: Int, _ body: () throws -> Void) throws -> Double {
        var times: [Double] = []
        for _ in 0..<max(1, runs) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return median(times)
    }

    struct ToolFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs a tool from PATH and throws if it fails.
    static func shell(_ tool: String, _ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        try p.run()
        p.waitUntilExit()
        if p.terminationStatus != 0 {
            throw ToolFailed(description: "\(tool) \(args.joined(separator: " ")) exited with \(p.terminationStatus)")
        }
    }

    /// The package root, from this source file's location.
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url = url.deletingLastPathComponent()
        }
        return url.path
    }()
}
