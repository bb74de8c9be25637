import Foundation
import Testing
@testable import LuxCLI

/// Outputs never overwrite inputs, existing outputs need --force, unwritable places fail cleanly.
@Suite struct OutputPolicyTests {
    @Test func output_equal_to_input_is_refused_even_with_force() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = (dir as NSString).appendingPathComponent("in.png")
        try FileManager.default.copyItem(atPath: Support.sample("kodim23.png"), toPath: input)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        try FileManager.default.createSymbolicLink(atPath: (dir as NSString).appendingPathComponent("link.png"), withDestinationPath: input)
        try FileManager.default.linkItem(atPath: input, toPath: (dir as NSString).appendingPathComponent("hard.png"))
        for output in [input, "./in.png", "sub/../in.png", "link.png", "hard.png"] {
            let r = try Support.lux(["convert", input, output, "--force"], cwd: dir)
            #expect(r.code == 1, "\(output): exit \(r.code)")
            #expect(r.stderrLines.count == 1 && r.stderr.contains("refusing to overwrite the input file"), "\(output): \(r.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
    }

    @Test func existing_output_needs_force() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = (dir as NSString).appendingPathComponent("exists.png")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: output))
        let r = try Support.lux(["convert", Support.sample("kodim23.png"), output])
        #expect(r.code == 1)
        #expect(r.stderr == "lux: error: \(output): output exists (use --force to overwrite)\n")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "keep me")
    }

    @Test func output_under_a_regular_file_fails_with_enotdir_message() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = (dir as NSString).appendingPathComponent("plain.txt")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let output = (file as NSString).appendingPathComponent("deeper/out.png")
        let r = try Support.lux(["convert", Support.sample("kodim23.png"), output])
        #expect(r.code == 1)
        #expect(r.stderrLines.count == 1)
        #expect(r.stderr.contains("cannot create output folder (\(file) is not a folder)"), "stderr: \(r.stderr)")
        #expect(Support.visibleFiles(dir) == ["plain.txt"])
    }

    @Test func resolved_path_handles_missing_tails_and_dots() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let real = OutputPolicy.resolvedPath(dir)
        #expect(OutputPolicy.resolvedPath(dir + "/a/../b/c.png") == real + "/b/c.png")
        #expect(OutputPolicy.resolvedPath(dir + "/./x.png") == real + "/x.png")
    }

    @Test func prepare_folder_creates_nested_and_refuses_files() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let nested = dir + "/a/b/c"
        try OutputPolicy(force: false).prepareFolder(nested)
        var isDir: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: nested, isDirectory: &isDir) && isDir.boolValue)
        try Data().write(to: URL(fileURLWithPath: dir + "/f"))
        #expect(throws: CLIError.cannotCreateDirectory(path: dir + "/f/g", detail: "\(dir)/f is not a folder")) {
            try OutputPolicy(force: false).prepareFolder(dir + "/f/g")
        }
    }
}
