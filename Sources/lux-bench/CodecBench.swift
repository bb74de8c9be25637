import Foundation
import LuxIO

/// `lux-bench codecs`: decode + encode of a 24-megapixel photo through Lux versus `vips copy`.
///
/// Fixtures (made once per run in a temporary folder): `Samples/kodim23.png` upscaled to 6000x4000
/// with Lanczos-3 (`vips resize 7.8125`), mild Gaussian noise added (ImageMagick, so the JPEG is not
/// unnaturally smooth), saved as JPEG quality 92 and as 16-bit uncompressed TIFF.
/// Both sides write the same kind of file: JPEG quality 92; TIFF deflate with horizontal predictor
/// (what Lux's TIFF encoder writes). Each case runs `runs` times (at least 2), Lux and vips
/// interleaved so both see the same machine load. Reported: the first ("cold") run and the median of
/// the rest ("warm"), wall and CPU (user + sys) seconds, and the ratios Lux / vips (below 1 means Lux
/// is faster). vips is timed as the command line a user would run, process start included.
/// "cold" is cold for the first case only: later cases reuse the heap the earlier ones grew.
/// Lux runs with ``LuxMemory/configure()`` (as the `lux` CLI does) unless `--no-tune` is given.
/// Usage: `lux-bench codecs [runs] [jpeg|tiff] [--no-tune]`.
enum CodecBench {
    struct Case {
        let name: String
        let input: String
        let format: ImageFormat
        let bitDepth: Int
        let vipsTarget: String
    }

    static func run(arguments: [String]) throws {
        let runs = arguments.lazy.compactMap(Int.init).first ?? 5
        let tuned = !arguments.contains("--no-tune")
        if tuned { LuxMemory.configure() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lux-bench-codecs-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        try makeFixtures(in: dir, tiff16: true)
        let probe = try? ImageIO.probe(path: dir + "/in.jpg")
        let (w, h) = probe.map { ($0.width, $0.height) } ?? (6000, 4000)
        let megapixels = Double(w * h) / 1e6
        print("fixture: \(w)x\(h) (\(String(format: "%.1f", megapixels)) MP), \(max(2, runs)) runs each\n")

        let only = arguments.first { $0 == "jpeg" || $0 == "tiff" }
        let cases = [
            Case(name: "JPEG q92", input: dir + "/in.jpg", format: .jpeg, bitDepth: 8, vipsTarget: dir + "/vips.jpg[Q=92]"),
            Case(name: "TIFF 16-bit", input: dir + "/in16.tif", format: .tiff, bitDepth: 16, vipsTarget: dir + "/vips.tif[compression=deflate,predictor=horizontal]"),
        ].filter { only == nil || $0.format == (only == "jpeg" ? ImageFormat.jpeg : .tiff) }
        print("""
            Lux and vips runs are interleaved (vips, Lux, vips, Lux, ...). "cold" is the first run, "warm" the
            median of the others; cpu is user + sys and faults the minor page faults
            (getrusage; vips as a child process). malloc tuning: \(tuned ? "on" : "off (--no-tune)")

            case         run    lux s   cpu s  (decode  encode)  faults    vips s   cpu s  faults  lux/vips  cpu ratio
            """)
        for c in cases {
            var lux: [Sample] = [], vips: [Sample] = []
            var note = ""
            do {
                for _ in 0..<max(2, runs) {
                    vips.append(try measure(children: true) { try shell("vips", ["copy", c.input, c.vipsTarget]) })
                    var split = (0.0, 0.0)
                    var s = try measure(children: false) {
                        let t0 = DispatchTime.now().uptimeNanoseconds
                        let file = try ImageIO.read(path: c.input)
                        let t1 = DispatchTime.now().uptimeNanoseconds
                        try ImageIO.write(file, to: dir + "/lux." + c.format.fileExtension, format: c.format,
                                          options: EncodeOptions(quality: 92, bitDepth: c.bitDepth))
                        let t2 = DispatchTime.now().uptimeNanoseconds
                        split = (Double(t1 - t0) / 1e9, Double(t2 - t1) / 1e9)
                    }
                    (s.decode, s.encode) = split
                    lux.append(s)
                }
            } catch {
                note = "  (\(error))"
            }
            let name = c.name.padding(toLength: 12, withPad: " ", startingAt: 0)
            let rows: [(String, [Sample], [Sample])] = [
                ("cold", Array(lux.prefix(1)), Array(vips.prefix(1))),
                ("warm", Array(lux.dropFirst()), Array(vips.dropFirst())),
            ]
            for (label, l, v) in rows where !l.isEmpty && !v.isEmpty {
                let lw = median(l.map(\.wall)), lc = median(l.map(\.cpu)), vw = median(v.map(\.wall)), vc = median(v.map(\.cpu))
                print(name + " " + label + String(format: "  %7.3f  %6.3f  (%6.3f  %6.3f)  %6.0fk   %7.3f  %6.3f  %5.0fk  %8.2f  %9.2f",
                      lw, lc, median(l.map(\.decode)), median(l.map(\.encode)), median(l.map(\.faults)) / 1000,
                      vw, vc, median(v.map(\.faults)) / 1000, lw / vw, lc / vc))
            }
            if lux.count > 1, vips.count > 1 {
                let lw = median(lux.dropFirst().map(\.wall)), vw = median(vips.dropFirst().map(\.wall))
                print(name + String(format: " warm: lux %.1f MP/s, vips %.1f MP/s", megapixels / lw, megapixels / vw) + note)
            } else if !note.isEmpty {
                print(name + note)
            }
        }
    }

    /// One timed run: wall seconds, CPU seconds (user + sys), minor page faults, and Lux's decode / encode split.
    struct Sample {
        var wall: Double
        var cpu: Double
        var faults: Double
        var decode = 0.0, encode = 0.0
    }

    /// Runs `body` once; CPU time is this process's (all threads) or, with `children`, that of
    /// the child processes it waited for.
    static func measure(children: Bool, _ body: () throws -> Void) throws -> Sample {
        let u0 = usage(children: children), t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        let t1 = DispatchTime.now().uptimeNanoseconds, u1 = usage(children: children)
        return Sample(wall: Double(t1 - t0) / 1e9, cpu: u1.cpu - u0.cpu, faults: Double(u1.faults - u0.faults))
    }

    /// User + system CPU seconds and minor page faults from `getrusage`.
    static func usage(children: Bool) -> (cpu: Double, faults: Int) {
        var u = rusage()
        getrusage(children ? RUSAGE_CHILDREN.rawValue : RUSAGE_SELF.rawValue, &u)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return (s(u.ru_utime) + s(u.ru_stime), u.ru_minflt)
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

    /// The median of `values` (which must not be empty).
    static func median(_ values: [Double]) -> Double {
        let v = values.sorted()
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
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
