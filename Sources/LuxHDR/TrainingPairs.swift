import Foundation
import LuxColor
import LuxDatasets
import LuxImage
import LuxIO
import LuxTensor

/// Training pairs for the hallucination network, made as in the seed's augmentation: a linear or HDR
/// source (anchored by ``Anchor``: the seed's 95 % normalisation, or mean luminance 0.18) exposed at
/// 2^ev with ev ~ U(−3, +3), clipped at 1, encoded with a random CRF (sqrt, sRGB, gamma 1.8-2.6, or the
/// parametric shoulder curve), quantised to 8 bits, and linearised back with the same CRF.
/// The target is the unclipped exposure (capped at ``targetCap``).
public final class HDRTrainingData: @unchecked Sendable {
    /// One source: linear working-space RGB and a per-pixel validity (0 where the source itself was
    /// sensor-saturated, so its true radiance is unknown).
    public struct Source: Sendable {
        public var image: Image
        public var valid: [Float]
        public var name: String
        public init(image: Image, valid: [Float], name: String) { self.image = image; self.valid = valid; self.name = name }
    }
    public let sources: [Source]
    /// Largest target radiance in exposure units (6 stops over the clip).
    public static let targetCap: Float = 64
    /// Longest side sources are reduced to.
    public static let sourceSide = 512

    /// How a source's exposure 0 is anchored before the random EV.
    public enum Anchor: String, Sendable, CaseIterable {
        /// Mean luminance 0.18 (``LuxDatasets/ExposureRendering/normalized(_:mean:)``).
        case mean
        /// The seed's relative-luminance normalisation: 95 % of the pixels' max_c at or below 1.
        case q95
    }

    /// `image` scaled to `anchor`.
    public static func anchored(_ image: Image, _ anchor: Anchor) -> Image {
        switch anchor {
        case .mean: return ExposureRendering.normalized(image)
        case .q95:
            let n = image.planeCount
            var v = (0..<n).map { max(image.pixels[$0], max(image.pixels[n + $0], image.pixels[2 * n + $0])) }
            v.sort()
            let q = v.isEmpty ? 0 : v[Int(Float(v.count - 1) * InverseCamera.normalizationQuantile)]
            return q > 0 ? ExposureRendering.scaled(image, by: 1 / q) : image
        }
    }

    public init(sources: [Source]) throws {
        guard !sources.isEmpty else { throw HDRError.noData("no source images") }
        self.sources = sources
    }

    /// Loads the `fivek-linear`-style PNGs of `linearDir` (minus the names in `excludeList`) and the
    /// `.exr`/`.hdr` radiance maps of `hdrDir`.
    public static func load(linearDir: String?, excludeList: String?, hdrDir: String?, anchor: Anchor = .q95) throws -> HDRTrainingData {
        var out: [Source] = []
        if let linearDir {
            let skip = Set(try excludeList.map { try Splits.readList(path: $0) } ?? [])
            for path in try LinearPhotos.files(in: linearDir) where !skip.contains((path as NSString).lastPathComponent) {
                let raw = try LinearPhotos.load(path: path).rgb().thumbnail(maxSide: sourceSide)
                let n = raw.planeCount
                let valid = (0..<n).map { i in max(raw.pixels[i], max(raw.pixels[n + i], raw.pixels[2 * n + i])) >= 0.98 ? Float(0) : 1 }
                out.append(Source(image: anchored(raw, anchor), valid: valid, name: path))
            }
        }
        if let hdrDir {
            let names = try FileManager.default.contentsOfDirectory(atPath: hdrDir).sorted()
                .filter { ["exr", "hdr"].contains(($0 as NSString).pathExtension.lowercased()) }
            for name in names {
                let path = (hdrDir as NSString).appendingPathComponent(name)
                let file = try ImageIO.read(path: path)
                var img = try ColorPipeline.toWorking(file.image.rgb(), iccProfile: file.metadata.iccProfile)
                img = img.mapValues { $0.isFinite ? min(max($0, 0), 65504) : 0 }.thumbnail(maxSide: sourceSide)
                out.append(Source(image: anchored(img, anchor), valid: [Float](repeating: 1, count: img.planeCount), name: path))
            }
        }
        return try HDRTrainingData(sources: out)
    }

    /// One batch: linear input x [B,3,S,S] (exposure units), soft mask α [B,1,S,S], target H [B,3,S,S],
    /// loss weight [B,3,S,S] (1 where α > 0 and the source is valid).
    public struct Batch { public var linear, mask, target, weight: Tensor }

    public static func randomCRF(_ rng: inout RNG) -> CameraResponse {
        switch rng.next() % 4 {
        case 0: return .sqrt
        case 1: return .sRGB
        case 2: return .gamma(rng.uniform(1.8, 2.6))
        default: return .parametric(gamma: rng.uniform(1.8, 2.6), shoulder: rng.uniform(1, 8))
        }
    }

    public func batch(_ count: Int, side s: Int, maskThreshold: Float, rng: inout RNG) -> Batch {
        var lin = [Float](), mask = [Float](), target = [Float](), weight = [Float]()
        for _ in 0..<count {
            let src = sources[Int(rng.next() % UInt64(sources.count))]
            let img = src.image, w = img.width, h = img.height, n = img.planeCount
            let gain = Float(pow(2.0, Double(rng.uniform(-3, 3))))
            // Prefer crops with some, but not only, clipping (up to 6 tries; else the closest to 20 %).
            var best = (x: 0, y: 0, score: Float.infinity)
            for _ in 0..<6 {
                let cx = Int(rng.next() % UInt64(max(1, w - s + 1))), cy = Int(rng.next() % UInt64(max(1, h - s + 1)))
                var clipped = 0
                for yy in stride(from: cy, to: min(h, cy + s), by: 2) {
                    for xx in stride(from: cx, to: min(w, cx + s), by: 2) {
                        let i = yy * w + xx
                        if max(img.pixels[i], max(img.pixels[n + i], img.pixels[2 * n + i])) * gain > 1 { clipped += 1 }
                    }
                }
                let f = Float(clipped) / Float((s / 2) * (s / 2))
                let score = (0.03...0.6).contains(f) ? 0 : abs(f - 0.2)
                if score < best.score { best = (cx, cy, score) }
                if score == 0 { break }
            }
            let crf = Self.randomCRF(&rng)
            let flip = rng.next() % 2 == 1
            var xs = [Float](repeating: 0, count: 3 * s * s), ts = xs, ws = xs
            for yy in 0..<s {
                for xx in 0..<s {
                    let sx = min(best.x + (flip ? s - 1 - xx : xx), w - 1), sy = min(best.y + yy, h - 1)
                    let i = sy * w + sx
                    for c in 0..<3 {
                        let X = img.pixels[c * n + i] * gain
                        let code = (crf.encode(X) * 255).rounded() / 255
                        xs[(c * s + yy) * s + xx] = crf.decode(code)
                        ts[(c * s + yy) * s + xx] = min(X, Self.targetCap)
                        ws[(c * s + yy) * s + xx] = src.valid[i]
                    }
                }
            }
            let x = Image(width: s, height: s, channels: 3, colorSpace: .working, pixels: xs)
            let a = InverseCamera.softMask(x, crf: crf, threshold: maskThreshold)
            for c in 0..<3 { for i in 0..<(s * s) where a[i] == 0 { ws[c * s * s + i] = 0 } }
            lin += xs; mask += a; target += ts; weight += ws
        }
        return Batch(linear: Tensor(shape: [count, 3, s, s], data: lin), mask: Tensor(shape: [count, 1, s, s], data: mask),
                     target: Tensor(shape: [count, 3, s, s], data: target), weight: Tensor(shape: [count, 3, s, s], data: weight))
    }
}
