import Foundation
import LuxIO
import Testing

/// Bad inputs and bad arguments: exactly one `lux: error:` line on stderr, the right exit code,
/// nothing on stdout and no output file.
@Suite struct BadInputTests {
    /// A bad input file made in a temporary folder, and the text its error line must contain.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let file: String
        let make: @Sendable (String) throws -> Void
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "truncated JPEG", file: "cut.jpg") { try Support.truncate(Support.sample("kodim23.jpg"), to: $0, fraction: 0.4) },
        Case(name: "truncated PNG", file: "cut.png") { try Support.truncate(Support.sample("kodim23.png"), to: $0, fraction: 0.4) },
        Case(name: "truncated TIFF", file: "cut.tif") { path in
            // A classic strip TIFF made from the sample, cut after its header and part of the strips.
            let tif = path + ".full.tif"
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/convert")
            p.arguments = [Support.sample("kodim23.png"), "-compress", "none", tif]
            try p.run(); p.waitUntilExit()
            try Support.truncate(tif, to: path, fraction: 0.3)
            try FileManager.default.removeItem(atPath: tif)
        },
        Case(name: "zero-byte file", file: "empty.jpg") { _ = FileManager.default.createFile(atPath: $0, contents: Data()) },
        Case(name: "text file", file: "notes.png") { try Data("hello, not an image\n".utf8).write(to: URL(fileURLWithPath: $0)) },
        Case(name: "header claims 100000x100000", file: "bomb.png") { try Support.pngHeader(width: 100_000, height: 100_000).write(to: URL(fileURLWithPath: $0)) },
    ]

    @Test("bad input to convert: one error line, exit 1, no output", arguments: cases)
    func convertRejects(_ c: Case) throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = (dir as NSString).appendingPathComponent(c.file)
        try c.make(input)
        let output = (dir as NSString).appendingPathComponent("out/result.png")
        let r = try Support.lux(["convert", input, output])
        #expect(r.code == 1)
        #expect(r.stderrLines.count == 1, "stderr: \(r.stderr)")
        #expect(r.stderrLines.first?.hasPrefix("lux: error: \(input)") == true, "stderr: \(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(!Support.exists(output))
        #expect(Support.visibleFiles(dir) == [c.file], "only the input may be left: \(Support.visibleFiles(dir))")
    }

    @Test("bad input to info: one error line, exit 1", arguments: cases)
    func infoRejects(_ c: Case) throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = (dir as NSString).appendingPathComponent(c.file)
        try c.make(input)
        let r = try Support.lux(["info", input])
        // A header-only probe may accept a truncated file whose header is intact, and reports what a
        // bomb's header claims (see info_reports_a_bomb_header_without_decoding); everything else must fail.
        if (c.name.hasPrefix("truncated") && r.code == 0) || c.file == "bomb.png" { return }
        #expect(r.code == 1)
        #expect(r.stderrLines.count == 1 && r.stderrLines[0].hasPrefix("lux: error: \(input)"), "stderr: \(r.stderr)")
    }

    @Test func huge_header_message_names_the_limit() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = (dir as NSString).appendingPathComponent("bomb.png")
        try Support.pngHeader(width: 100_000, height: 100_000).write(to: URL(fileURLWithPath: input))
        let r = try Support.lux(["convert", input, (dir as NSString).appendingPathComponent("x.png")])
        #expect(r.code == 1)
        // With a PNG codec present the bomb guard answers; without one, the missing decoder does.
        #expect(r.stderr.contains("exceeds the limit of 300000000 pixels") || r.stderr.contains("no png decoder"), "stderr: \(r.stderr)")
    }

    @Test(.enabled(if: ImageIO.codec(for: .png) != nil, "needs the PNG codec"))
    func info_reports_a_bomb_header_without_decoding() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = (dir as NSString).appendingPathComponent("bomb.png")
        try Support.pngHeader(width: 100_000, height: 100_000).write(to: URL(fileURLWithPath: input))
        let r = try Support.lux(["info", input])
        #expect(r.code == 0)
        #expect(r.stdout.contains("size:        100000 x 100000 (10000.0 MP)"), "stdout: \(r.stdout)")
    }

    @Test func missing_file() throws {
        let r = try Support.lux(["convert", "/nonexistent/in.jpg", "/tmp/never.png"])
        #expect(r.code == 1)
        #expect(r.stderr == "lux: error: /nonexistent/in.jpg: no such file\n")
    }

    @Test("usage errors: one line, exit 2", arguments: [
        ["convert", "--bogus", "a.jpg", "b.png"],
        ["convert", "onlyone.jpg"],
        ["convert", "Samples/kodim23.png", "out.png", "--quality", "0"],
        ["convert", "Samples/kodim23.png", "out.png", "--bit-depth", "12"],
        ["convert", "Samples/kodim23.png", "out.jpg", "--bit-depth", "16"],
        ["convert", "Samples/kodim23.png", "out.weird"],
        ["convert", "Samples/kodim23.png", "out.png", "--format", "jpg"],
        ["frobnicate"],
        // The shared write options (WriteOptions) are checked the same way by every command that has them.
        ["enhance", "Samples/kodim23.png", "--quality", "101"],
        ["correct", "Samples/kodim23.png", "--max-pixels", "0"],
        ["reexpose", "Samples/kodim23.png", "--ev", "1", "--quality", "0"],
        ["hdr", "Samples/kodim23.png", "--max-pixels", "0"],
        ["transfer", "Samples/kodim23.png", "--reference", "Samples/kodim23.png", "-o", "out.jpg", "--quality", "0"],
        ["adjust", "Samples/kodim23.png", "--effect", "xpro", "-o", "out.jpg", "--max-pixels", "-5"],
    ])
    func usageErrors(_ args: [String]) throws {
        let r = try Support.lux(args, cwd: Support.packageRoot.path)
        #expect(r.code == 2, "exit \(r.code), stderr: \(r.stderr)")
        #expect(r.stderrLines.count == 1 && r.stderrLines[0].hasPrefix("lux: error: "), "stderr: \(r.stderr)")
        #expect(!Support.exists(Support.packageRoot.appendingPathComponent("out.png").path))
        #expect(!Support.exists(Support.packageRoot.appendingPathComponent("out.jpg").path))
    }

    @Test func help_exits_zero_on_stdout() throws {
        let r = try Support.lux(["convert", "--help"])
        #expect(r.code == 0)
        #expect(r.stdout.contains("lux convert IN... -o DIR"))
        #expect(r.stderr.isEmpty)
        let top = try Support.lux(["--help"])
        #expect(top.code == 0)
        #expect(top.stdout.contains("info") && top.stdout.contains("convert"))
    }
}
