import Foundation
import LuxIO
import Testing
@testable import LuxCLI

/// The `convert` argument syntax: single file, `-o DIR` batches, folder expansion, collisions.
@Suite struct ConvertPlanTests {
    @Test func single_file_takes_format_from_output_name() throws {
        let plan = try ConvertPlan.make(arguments: [Support.sample("kodim23.png"), "/tmp/x/out.TIFF"], outputFolder: nil, format: nil)
        #expect(plan.isSingle)
        #expect(plan.jobs == [.init(input: Support.sample("kodim23.png"), output: "/tmp/x/out.TIFF", format: .tiff)])
    }

    @Test func batch_with_dash_o_names_outputs_from_inputs() throws {
        let plan = try ConvertPlan.make(arguments: [Support.sample("kodim23.png"), Support.sample("kodim23.jpg")],
                                        outputFolder: "/tmp/o", format: nil)
        #expect(!plan.isSingle)
        // Without --format each keeps its own (content-detected) format, so the names do not collide.
        #expect(plan.jobs.map(\.output) == ["/tmp/o/kodim23.png", "/tmp/o/kodim23.jpg"])
        #expect(plan.jobs.map(\.format) == [.png, .jpeg])
    }

    @Test func trailing_slash_makes_a_single_input_a_batch() throws {
        let plan = try ConvertPlan.make(arguments: [Support.sample("kodim23.jpg"), "/tmp/newdir/"], outputFolder: nil, format: .png)
        #expect(!plan.isSingle)
        #expect(plan.jobs.map(\.output) == ["/tmp/newdir/kodim23.png"])
    }

    @Test func same_stem_with_one_format_is_a_collision() throws {
        #expect(throws: CLIError.duplicateOutput(path: "/tmp/o/kodim23.tif")) {
            try ConvertPlan.make(arguments: [Support.sample("kodim23.png"), Support.sample("kodim23.jpg")],
                                 outputFolder: "/tmp/o", format: .tiff)
        }
    }

    @Test func folder_input_expands_sorted_and_last_argument_is_the_folder() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["b.png", "a.jpg", "c.TIF", ".hidden.png", "notes.txt"] {
            _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data([1]))
        }
        try FileManager.default.createDirectory(atPath: dir + "/sub.png", withIntermediateDirectories: false)
        #expect(try BatchInputs.expand([dir]) == [dir + "/a.jpg", dir + "/b.png", dir + "/c.TIF"])
        let plan = try ConvertPlan.make(arguments: [dir, "/tmp/dest"], outputFolder: nil, format: .jpeg)
        #expect(plan.jobs.map(\.output) == ["/tmp/dest/a.jpg", "/tmp/dest/b.jpg", "/tmp/dest/c.jpg"])
    }

    @Test func empty_folder_and_missing_input_are_errors() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: CLIError.noInputs(path: dir)) { try BatchInputs.expand([dir]) }
        #expect(throws: ImageIOError.fileNotFound(path: dir + "/nope.png")) { try BatchInputs.expand([dir + "/nope.png"]) }
    }

    @Test func default_batch_format_comes_from_content() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: Support.sample("kodim23.png"), toPath: dir + "/png-named.jpg")
        #expect(ConvertPlan.defaultFormat(forInput: dir + "/png-named.jpg") == .png)
    }

    @Test func default_bit_depths() {
        let png16 = ImageMetadata(format: .png, bitDepth: 16)
        let exr = ImageMetadata(format: .exr, bitDepth: 16, isFloat: true)
        let tif32 = ImageMetadata(format: .tiff, bitDepth: 32, isFloat: true)
        #expect(ConvertCommand.defaultBitDepth(for: .jpeg, source: png16) == 8)
        #expect(ConvertCommand.defaultBitDepth(for: .png, source: png16) == 16)
        #expect(ConvertCommand.defaultBitDepth(for: .png, source: exr) == 16)
        #expect(ConvertCommand.defaultBitDepth(for: .tiff, source: tif32) == 32)
        #expect(ConvertCommand.defaultBitDepth(for: .exr, source: exr) == 16)
        #expect(ConvertCommand.defaultBitDepth(for: .exr, source: tif32) == 32)
    }
}
