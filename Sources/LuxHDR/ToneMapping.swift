import Foundation
import LuxImage

/// Display renderings of a radiance map (`lux hdr --tonemap`, `lux reexpose --tonemap`).
/// Input: linear working-space RGB, any non-negative scale; output: linear display values in [0, 1]
/// (the caller encodes them with the sRGB curve).
public enum ToneMap: String, Sendable, CaseIterable {
    /// Reinhard et al. 2002, global operator on luminance with white point `Lw` = the 99.9th percentile:
    /// `L' = L·(1 + L/Lw²)/(1 + L)`, colours scaled by `L'/L`, after scaling the log-average luminance to 0.18.
    case reinhard
    /// A filmic curve (Narkowicz's ACES fit) per channel: `y = x(2.51x + 0.03) / (x(2.43x + 0.59) + 0.14)`,
    /// after scaling the log-average luminance to 0.18.
    case filmic

    public func apply(_ radiance: Image) -> Image {
        let n = radiance.planeCount
        let y = radiance.luminance()
        var logSum = 0.0
        for v in y { logSum += Foundation.log(Double(max(v, 0)) + 1e-6) }
        let key = Float(Foundation.exp(logSum / Double(max(n, 1))))
        let gain = key > 0 ? 0.18 / key : 1
        var out = radiance.rgb()
        let sorted = y.sorted()
        let white = max(sorted.isEmpty ? 1 : sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * 0.999))] * gain, 1e-3)
        let mode = self
        out.pixels.withUnsafeMutableBufferPointer { p in
            Parallel.forRanges(n, minChunk: 65_536) { r in
                for i in r {
                    switch mode {
                    case .reinhard:
                        let l = y[i] * gain
                        let s = l > 0 ? (1 + l / (white * white)) / (1 + l) : 1
                        for c in 0..<3 { p[c * n + i] = min(max(p[c * n + i] * gain * s, 0), 1) }
                    case .filmic:
                        for c in 0..<3 {
                            let x = max(p[c * n + i] * gain, 0)
                            p[c * n + i] = min(max(x * (2.51 * x + 0.03) / (x * (2.43 * x + 0.59) + 0.14), 0), 1)
                        }
                    }
                }
            }
        }
        return out
    }
}
