import Foundation
import LuxFilters
import LuxImage
import LuxTensor

/// Deterministic pseudo-random numbers for tests (SplitMix64).
struct TestRNG {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * next() }
}

/// Parameters for gradient checks: inside the range, away from the identity and kinks.
func testParameters(_ f: any Filter.Type, _ rng: inout TestRNG) -> [Double] {
    f.parameters.map { s in
        let lo = s.range.lowerBound, hi = s.range.upperBound
        return rng.uniform(lo + 0.2 * (hi - lo), hi - 0.2 * (hi - lo))
    }
}

func randomImage(width: Int, height: Int, _ rng: inout TestRNG, lo: Double = 0.02, hi: Double = 0.95) -> Image {
    Image(width: width, height: height, pixels: (0..<(3 * width * height)).map { _ in Float(rng.uniform(lo, hi)) })
}

/// The package root (walks up from this file to the folder holding Package.swift).
func packageRoot(_ file: String = #filePath) -> URL {
    var u = URL(fileURLWithPath: file).deletingLastPathComponent()
    while u.path != "/" && !FileManager.default.fileExists(atPath: u.appendingPathComponent("Package.swift").path) {
        u.deleteLastPathComponent()
    }
    return u
}

func which(_ tool: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let p = "\(dir)/\(tool)"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}

@discardableResult
func run(_ exe: String, _ args: [String]) throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    return p.terminationStatus
}

/// Max abs difference between the renderer and the Double reference (each filter's own formula)
/// over the pixels (r_i, g_i, b_i) of three channel arrays.
func maxAbsError(_ recipe: Recipe, _ r: [Float], _ g: [Float], _ b: [Float]) -> Double {
    let n = r.count
    let out = Renderer(recipe).render(Image(width: n, height: 1, pixels: r + g + b))
    var worst = 0.0
    for i in 0..<n {
        var p = (Double(r[i]), Double(g[i]), Double(b[i]))
        for s in recipe.steps { p = s.type.applyPixel(p, s.values) }
        for (c, ref) in [p.0, p.1, p.2].enumerated() { worst = max(worst, abs(Double(out.pixels[c * n + i]) - ref)) }
    }
    return worst
}
