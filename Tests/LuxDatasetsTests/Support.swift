import Foundation
import LuxImage

/// `../shared/data` beside the package root (found by walking up from this file), nil if absent.
func sharedData(_ file: String = #filePath) -> URL? {
    var u = URL(fileURLWithPath: file).deletingLastPathComponent()
    while u.path != "/" && !FileManager.default.fileExists(atPath: u.appendingPathComponent("Package.swift").path) {
        u.deleteLastPathComponent()
    }
    let d = u.appendingPathComponent("../shared/data").standardized
    return FileManager.default.fileExists(atPath: d.path) ? d : nil
}

/// A fresh empty temporary folder.
func tempFolder() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lux-datasets-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.path
}

/// IEC 61966-2-1 sRGB decode, in Double.
func srgbToLinear(_ v: Double) -> Double { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }

/// A dark, smooth linear test image (values in [0.002, 0.06]) with three different channels.
func syntheticLinear(width: Int = 48, height: Int = 32) -> Image {
    var img = Image(width: width, height: height, colorSpace: .working)
    for y in 0..<height {
        for x in 0..<width {
            let t = Float(x) / Float(width - 1), s = Float(y) / Float(height - 1)
            img.pixels[img.planeOffset(0) + y * width + x] = 0.002 + 0.05 * t
            img.pixels[img.planeOffset(1) + y * width + x] = 0.003 + 0.04 * s
            img.pixels[img.planeOffset(2) + y * width + x] = 0.002 + 0.06 * t * s
        }
    }
    return img
}
