import Foundation

// lux-bench: a tiny dispatcher; each benchmark lives in its own file.
let benches: [String: ([String]) throws -> Void] = [
    "codecs": CodecBench.run(arguments:),
]

let args = Array(CommandLine.arguments.dropFirst())
guard let name = args.first, let bench = benches[name] else {
    print("usage: lux-bench \(benches.keys.sorted().joined(separator: "|")) [runs]")
    exit(args.isEmpty ? 0 : 2)
}
do {
    try bench(Array(args.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("lux-bench: error: \(error)\n".utf8))
    exit(1)
}
