import Foundation
import LuxImage
import LuxTensor
import LuxAgent

/// A tiny configuration so the tests run fast.
let tinyConfig = AgentConfig(maxSteps: 3, baseChannels: 4, featureDim: 16, headDim: 16)

/// A smooth, coloured working-space test image (low frequencies only, values in 0.02...0.6).
func smoothImage(width: Int, height: Int, phase: Float = 0) -> Image {
    var img = Image(width: width, height: height, channels: 3, colorSpace: .working)
    for c in 0..<3 { for y in 0..<height { for x in 0..<width {
        let u = Float(x) / Float(width), v = Float(y) / Float(height)
        img.pixels[c * width * height + y * width + x] = 0.31 + 0.29 * sin(3 * u + 2 * v + phase + Float(c))
    } } }
    return img
}

/// Random thumbnails [64 x 64], seeded.
func randomThumbs(_ n: Int, seed: UInt64) -> [Image] {
    (0..<n).map { smoothImage(width: 64, height: 64, phase: Float(seed % 97) + Float($0) * 1.7) }
}

func paramsSnapshot(_ m: any Module) -> [Float] { m.parameters().flatMap(\.data) }
