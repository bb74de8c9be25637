import Foundation
import LuxImage
import LuxTensor

/// A user's mask for one preset: where `mask > 0`, the pixel's semantic adjustment map becomes
/// `(1 − m)·M + m·e_k` (m = 1 applies preset k alone); pixels with `m = 0` keep the network's maps exactly.
public struct PresetMask: Sendable {
    /// Preset index, 0-based (the CLI's `--map k=...` is 1-based).
    public var preset: Int
    /// One value in [0, 1] per pixel of the photo, row-major.
    public var values: [Float]
    public init(preset: Int, values: [Float]) { self.preset = preset; self.values = values }
}

/// The adjuster behind `lux adjust`: working-space photo in, adjusted working-space photo out, plus the
/// semantic adjustment maps it used.
///
/// The context branch runs on the photo box-downscaled to ``AdjustConfig/contextSide`` (bounded cost);
/// the colour features, the maps (sampled bilinearly from the context) and the bilinear pooling run at
/// every full-resolution pixel, so the output has the photo's own resolution and detail.
public final class PhotoAdjuster: @unchecked Sendable {
    public let network: AdjustNetwork
    public var config: AdjustConfig { network.config }
    /// Averages the prediction for the photo and for its mirror image (test-time flip). Off by default:
    /// measured on the held-out pop-out photos it moved the mean distance from 8.25 to 8.23 for twice the time.
    public var flipAverage = false
    /// Pixels per chunk of the per-pixel part (bounds memory on large photos).
    public static let chunk = 16384

    /// The embedded default model of `effect`.
    public static func loadDefault(_ effect: AdjustEffect) throws -> PhotoAdjuster {
        guard let url = SafeTensors.bundledModel(effect.defaultModelName, in: .module) else {
            throw AdjustError.noModel("no embedded default \(effect.rawValue) model in this build")
        }
        return try PhotoAdjuster(contentsOf: url)
    }

    /// Loads a model written by `lux train adjust`.
    public init(contentsOf url: URL) throws {
        let file: SafeTensors.File
        do { file = try SafeTensors.read(from: url) } catch { throw AdjustError.badModel("\(url.path): \(error)") }
        network = AdjustNetwork(config: try AdjustConfig(metadata: file.metadata))
        do { try network.load(from: url, strict: true) } catch { throw AdjustError.badModel("\(url.path): \(error)") }
    }

    public init(network: AdjustNetwork) { self.network = network }

    /// The result of one adjustment.
    public struct Result: Sendable {
        /// The adjusted photo (working space, clamped to [0, 1]).
        public var image: Image
        /// The K semantic adjustment maps as used (after user masks), planar `K * width * height`.
        public var maps: [Float]
        public var mapCount: Int
    }

    /// Adjusts `image` (working space; alpha dropped). Throws on a mask of the wrong size or preset.
    public func adjust(_ image: Image, masks: [PresetMask] = []) throws -> Result {
        let rgb = image.hasAlpha ? image.rgb() : image
        let w = rgb.width, h = rgb.height, n = w * h, k = config.maps
        for m in masks {
            guard (0..<k).contains(m.preset) else { throw AdjustError.badMask("preset \(m.preset + 1) out of range: this model has presets 1-\(k)") }
            guard m.values.count == n else { throw AdjustError.badMask("mask for preset \(m.preset + 1) has \(m.values.count) values, the photo \(n) pixels") }
        }
        let lab = LabFeatures.planes(rgb)
        let smooth = EdgeAwareSmoothing.smooth(lab, width: w, height: h)
        let base = config.baseLab(lab, width: w, height: h)
        var outLab = base
        var maps = [Float](repeating: 0, count: k * n)
        let passes = flipAverage ? [false, true] : [false]
        let share = 1 / Float(passes.count)
        GradMode.withoutGrad {
            for flip in passes {
                let ctx = network.context(LabLevel.pyramid(flip ? rgb.oriented(2) : rgb, config: config))
                var start = 0
                while start < n {
                    let end = min(n, start + Self.chunk)
                    let positions = (start..<end).map { SIMD2(Float(flip ? w - 1 - $0 % w : $0 % w), Float($0 / w)) }
                    let labs = (start..<end).map { SIMD3(base[$0], base[n + $0], base[2 * n + $0]) }
                    let smooths = (0..<EdgeAwareSmoothing.levels.count).map { l in
                        (start..<end).map { SIMD3(smooth[3 * l * n + $0], smooth[(3 * l + 1) * n + $0], smooth[(3 * l + 2) * n + $0]) }
                    }
                    let edit: ((inout [Float]) -> Void)? = masks.isEmpty ? nil : { d in
                        for m in masks {
                            for i in start..<end {
                                let v = m.values[i]
                                guard v > 0 else { continue }
                                let row = (i - start) * k
                                for j in 0..<k { d[row + j] *= 1 - v }
                                d[row + m.preset] += v
                            }
                        }
                    }
                    let (res, used) = network.predict(ctx, positions: positions, width: w, height: h, lab: labs, smooth: smooths, editMaps: edit)
                    for i in start..<end {
                        let r = (i - start) * 3
                        for c in 0..<3 { outLab[c * n + i] += res.data[r + c] * AdjustNetwork.labScale * share }
                        for j in 0..<k { maps[j * n + i] += used.data[(i - start) * k + j] * share }
                    }
                    start = end
                }
            }
        }
        var out = LabFeatures.image(fromPlanes: outLab, width: w, height: h)
        out.colorSpace = .working
        return Result(image: out, maps: maps, mapCount: k)
    }

    /// Distinct colours of the maps' preview (``preview(maps:width:height:)``), one per preset.
    public static let palette: [SIMD3<Float>] = [
        SIMD3(0.90, 0.10, 0.10), SIMD3(0.10, 0.70, 0.10), SIMD3(0.15, 0.30, 0.95), SIMD3(0.95, 0.80, 0.10),
        SIMD3(0.80, 0.20, 0.85), SIMD3(0.10, 0.80, 0.85), SIMD3(0.95, 0.55, 0.10), SIMD3(0.55, 0.55, 0.55),
    ]

    /// A colour preview of the maps: each pixel the map-weighted mix of the presets' palette colours
    /// (sRGB-encoded values).
    public static func preview(maps: [Float], count k: Int, width w: Int, height h: Int) -> Image {
        let n = w * h
        var out = Image(width: w, height: h, channels: 3, colorSpace: .sRGB)
        for i in 0..<n {
            var c = SIMD3<Float>()
            for j in 0..<k { c += maps[j * n + i] * palette[j % palette.count] }
            out.pixels[i] = c.x; out.pixels[n + i] = c.y; out.pixels[2 * n + i] = c.z
        }
        return out
    }

    /// Map `k` (0-based) as a grey image (the form `--map k=MASK` reads back).
    public static func mapImage(maps: [Float], index k: Int, width w: Int, height h: Int) -> Image {
        let n = w * h
        let plane = Array(maps[(k * n)..<((k + 1) * n)])
        return Image(width: w, height: h, channels: 3, colorSpace: .sRGB, pixels: plane + plane + plane)
    }
}
