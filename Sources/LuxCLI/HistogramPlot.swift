import Foundation
import LuxColor
import LuxHistogram
import LuxImage
import LuxIO

/// Draws 3-D RGB colour distributions as three 2-D marginals per row (R–G, R–B, G–B; first channel to
/// the right, second up, sRGB-encoded [0, 1]). Each of the `grid`² cells of a panel shows the mean colour
/// of the samples that fall in it, brightness scaled by `0.2 + 0.8·log(1 + n)/log(1 + n_max)`; empty
/// cells stay dark. A label under each row names it.
public enum HistogramPlot {
    static let panel = 192, pad = 10, labelHeight = 16
    static let background: Float = 0.08, frame: Float = 0.3, ink: Float = 0.9

    /// One row per `(label, samples)`.
    public static func render(_ rows: [(label: String, samples: ColorSamples)], grid: Int = 64) -> Image {
        let width = pad + 3 * (panel + pad), rowHeight = panel + labelHeight + pad
        let height = pad + max(1, rows.count) * rowHeight
        var out = Image(width: width, height: height, channels: 3, colorSpace: .sRGB, fill: background)
        let plane = width * height
        let pairs = [(0, 1), (0, 2), (1, 2)]
        let cellPx = panel / grid
        for (r, row) in rows.enumerated() {
            let oy = pad + r * rowHeight
            for (p, (a, b)) in pairs.enumerated() {
                let ox = pad + p * (panel + pad)
                var count = [Int](repeating: 0, count: grid * grid)
                var sum = [SIMD3<Float>](repeating: .zero, count: grid * grid)
                let s = row.samples
                for i in 0..<s.count {
                    let c = s[i]
                    let u = min(grid - 1, max(0, Int(c[a] * Float(grid)))), v = min(grid - 1, max(0, Int(c[b] * Float(grid))))
                    count[v * grid + u] += 1
                    sum[v * grid + u] += c.clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 1))
                }
                let norm = Float(log(1 + Double(count.max() ?? 1)))
                for y in 0..<panel {
                    for x in 0..<panel {
                        let u = min(grid - 1, x / cellPx), v = min(grid - 1, (panel - 1 - y) / cellPx)
                        let n = count[v * grid + u]
                        let edge = x == 0 || y == 0 || x == panel - 1 || y == panel - 1
                        var c = SIMD3<Float>(repeating: edge ? frame : 0)
                        if n > 0 && !edge {
                            let level: Float = 0.2 + 0.8 * Float(log(1 + Double(n))) / max(norm, 1e-6)
                            c = sum[v * grid + u] / Float(n) * level
                        }
                        let idx = (oy + y) * width + ox + x
                        out.pixels[idx] = c.x; out.pixels[plane + idx] = c.y; out.pixels[2 * plane + idx] = c.z
                    }
                }
                let name = ["R-G", "R-B", "G-B"][p]
                let text = String((row.label.isEmpty ? name : "\(name)  \(row.label)").uppercased().prefix((panel + pad) / BitmapFont.advance))
                BitmapFont.draw(text, x: ox, y: oy + panel + 5) { x, y in
                    guard x >= 0, x < width, y >= 0, y < height else { return }
                    for c in 0..<3 { out.pixels[c * plane + y * width + x] = ink }
                }
            }
        }
        return out
    }

    /// Renders and writes an 8-bit sRGB PNG atomically.
    public static func write(_ rows: [(label: String, samples: ColorSamples)], to path: String) throws {
        let image = render(rows)
        let meta = ImageMetadata(format: .png, bitDepth: 8, iccProfile: ColorPipeline.iccProfile(for: .sRGB))
        try ImageIO.write(ImageFile(image: image, metadata: meta), to: path, format: .png, options: EncodeOptions(bitDepth: 8))
    }
}
