import Foundation
import LuxIO

/// What the engine benches (`enhance`, `correct`, `reexpose`) share: the same allocator set-up as the
/// `lux` executable, `[runs] [--model FILE]` arguments, and a temporary folder with the codec bench's
/// 24 MP JPEG fixture (`in.jpg`).
enum BenchSetup {
    /// Configures memory like `lux` and parses `[runs] [--model FILE]`.
    static func start(_ arguments: [String], defaultRuns: Int = 5) -> (runs: Int, model: String?) {
        LuxMemory.configure()
        var runs = defaultRuns
        var model: String?
        var i = 0
        while i < arguments.count {
            if arguments[i] == "--model", i + 1 < arguments.count { model = arguments[i + 1]; i += 2; continue }
            if let n = Int(arguments[i]) { runs = n }
            i += 1
        }
        return (runs, model)
    }

    /// A fresh temporary folder for `bench` holding the 24 MP JPEG fixture; the caller removes it.
    static func jpegFixture(_ bench: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lux-bench-\(bench)-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try CodecBench.makeFixtures(in: dir, tiff16: false)
        return dir
    }
}
