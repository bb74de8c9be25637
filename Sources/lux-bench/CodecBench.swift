import Foundation
import LuxIO

/// `lux-bench codecs`: decode + encode of a 24-megapixel photo through Lux versus `vips copy`.
///
/// Fixtures (made once per run in a temporary folder): `Samples/kodim23.png` upscaled to 6000x4000
/// with Lanczos-3 (`vips resize 7.8125`), mild Gaussian noise added (ImageMagick, so the JPEG is not
/// unnaturally smooth), saved as JPEG quality 92 and as 16-bit uncompressed TIFF.
/// Each case runs `runs` times; the median wall time is reported with megapixels per second, and the
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

        let source = packageRoot + "/Samples/kodim23.png"
        print("making fixtures from \(source) in \(dir) ...")
        try shell("vips", ["resize", source, dir + "/big.tif", "7.8125", "--kernel", "lanczos3"])
        try shell("convert", [dir + "/big.tif", "-attenuate", "0.4", "+noise", "Gaussian", dir + "/noisy.tif"])
        try shell("convert", [dir + "/noisy.tif", "-quality", "92", dir + "/in.jpg"])
        try shell("convert", [dir + "/noisy.tif", "-depth", "16", "-compress", "none", dir + "/in16.tif"])
        let probe = try? ImageIO.probe(path: dir + "/in.jpg")
        let (w, h) = probe.map { ($0.width, $0.height) } ?? (6000, 4000)
        let megapixels = Double(w * h) / 1e6
        print("fixture: \(w)x\(h) (\(String(format: "%.1f", megapixels)) MP), \(runs) runs each, median wall time\n")

        let cases = [
            Case(name: "JPEG q92", input: dir + "/in.jpg", format: .jpeg, bitDepth: 8, vipsTarget: dir + "/vips.jpg[Q=92]"),
            Case(name: "TIFF 16-bit", input: dir + "/in16.tif", format: .tiff, bitDepth: 16, vipsTarget: dir + "/vips.tif"),
        ]
        print("case          lux s   lux MP/s   vips s  vips MP/s   lux/vips")
        for c in cases {
            let vips = try median(runs) { try shell("vips", ["copy", c.input, c.vipsTarget]) }
            var luxTime: Double?
            var note = ""
            do {
                luxTime = try median(runs) {
                    let file = try ImageIO.read(path: c.input)
                    try ImageIO.write(file, to: dir + "/lux." + c.format.fileExtension, format: c.format,
                                      options: EncodeOptions(quality: 92, bitDepth: c.bitDepth))
                }
            } catch {
                note = "  (lux: \(error))"
            }
            let luxCols = luxTime.map { String(format: "%7.3f  %9.1f", $0, megapixels / $0) } ?? String(repeating: " ", count: 6) + "-" + String(repeating: " ", count: 10) + "-"
            let ratio = luxTime.map { String(format: "%9.2f", $0 / vips) } ?? "        -"
            print(String(format: "%-12@", c.name as NSString) + "  " + luxCols + String(format: "  %7.3f  %9.1f", vips, megapixels / vips) + "  " + ratio + note)
        }
    }

    /// Median wall time of `runs` calls of `body`, in seconds.
    static func median(_ runs: Int, _ body: () throws -> Void) throws -> Double {
        var times: [Double] = []
        for _ in 0..<max(1, runs) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        return times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
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
