@testable import LuxImage

/// Deterministic pseudo-random values in [0, 1) (64-bit LCG), so tests are reproducible.
struct TestRNG {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 6364136223846793005 &+ 1442695040888963407 }
    mutating func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(state >> 40) / Float(1 << 24)
    }
}

func randomImage(width: Int, height: Int, channels: Int = 3, seed: UInt64 = 1) -> Image {
    var rng = TestRNG(seed: seed)
    let px = (0..<(width * height * channels)).map { _ in rng.next() }
    return Image(width: width, height: height, channels: channels, pixels: px)
}

func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    var m: Float = 0
    for i in a.indices { m = max(m, abs(a[i] - b[i])) }
    return m
}
