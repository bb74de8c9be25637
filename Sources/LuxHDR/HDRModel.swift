import Foundation
import LuxImage
import LuxTensor

/// The trained hallucination network for inference (`lux reexpose`, `lux hdr`).
public final class HDRModel: @unchecked Sendable {
    public let config: HDRConfig
    public let net: HallucinationNet
    private let lock = NSLock()

    /// The model shipped in the package's resources.
    public static func loadDefault() throws -> HDRModel {
        guard let url = SafeTensors.bundledModel("hdr-default", in: .module) else {
            throw HDRError.noModel("no embedded default model in this build")
        }
        return try HDRModel(contentsOf: url)
    }

    /// Loads a model written by `lux train hdr`.
    public init(contentsOf url: URL) throws {
        let file: SafeTensors.File
        do { file = try SafeTensors.read(from: url) } catch { throw HDRError.badModel("\(url.path): \(error)") }
        config = try HDRConfig(metadata: file.metadata)
        net = HallucinationNet(config: config)
        do { try net.load(from: url, strict: true) } catch { throw HDRError.badModel("\(url.path): \(error)") }
    }

    public init(net: HallucinationNet) { config = net.config; self.net = net }

    /// Log radiance ratio `r = softplus(net)` (3 planes) for a linear image (exposure units) and its mask;
    /// the image is edge-padded to a multiple of 4 for the network and the result cropped back.
    public func logRatio(_ x: Image, mask: [Float]) -> [Float] {
        let w = x.width, h = x.height, pw = (w + 3) / 4 * 4, ph = (h + 3) / 4 * 4
        var lin = [Float](repeating: 0, count: 3 * pw * ph), m = [Float](repeating: 0, count: pw * ph)
        for yy in 0..<ph {
            let sy = min(yy, h - 1)
            for xx in 0..<pw {
                let sx = min(xx, w - 1)
                for c in 0..<3 { lin[(c * ph + yy) * pw + xx] = x.pixels[(c * h + sy) * w + sx] }
                m[yy * pw + xx] = mask[sy * w + sx]
            }
        }
        let lt = Tensor(shape: [1, 3, ph, pw], data: lin), mt = Tensor(shape: [1, 1, ph, pw], data: m)
        let raw: Tensor = lock.withLock { GradMode.withoutGrad { net(HallucinationNet.input(linear: lt, mask: mt)).softplus() } }
        var out = [Float](repeating: 0, count: 3 * w * h)
        for c in 0..<3 { for yy in 0..<h { for xx in 0..<w { out[(c * h + yy) * w + xx] = raw.data[(c * ph + yy) * pw + xx] } } }
        return out
    }

    /// The radiance map of a linear photo (exposure units, clip at 1) whose camera response is `crf`.
    public func reconstruct(linear: Image, crf: CameraResponse) -> RadianceMap {
        Reconstruction.run(linear: linear, crf: crf, maskThreshold: config.maskThreshold, maxSide: config.maxSide) { self.logRatio($0, mask: $1) }
    }
}

/// Reconstructions without a network, for comparison (`lux train hdr --validate`).
public enum Baselines {
    /// Plain clipping: the radiance is what was observed (`r = 0`).
    public static func clipping(_ x: Image, mask: [Float]) -> [Float] { [Float](repeating: 0, count: 3 * x.planeCount) }

    /// Smooth inpainting: per channel, a harmonic (Laplace, `∇²u = 0`) fill of the log radiance
    /// `u = log(x + 1/1024)` over the masked region (α > 0) with the unmasked pixels as Dirichlet boundary,
    /// solved by successive over-relaxation (ω = 1.9, `iterations` sweeps, started from the boundary mean);
    /// returns `r = max(u − log x, 0)` (radiance never below the observation).
    public static func harmonicFill(_ x: Image, mask: [Float], iterations: Int = 400) -> [Float] {
        let w = x.width, h = x.height, n = w * h, eps: Float = 1.0 / 1024
        var out = [Float](repeating: 0, count: 3 * n)
        let hole = (0..<n).filter { mask[$0] > 0 }
        guard !hole.isEmpty, hole.count < n else { return out }
        for c in 0..<3 {
            var u = (0..<n).map { Foundation.log(max(x.pixels[c * n + $0], 0) + eps) }
            var bsum: Float = 0, bcount: Float = 0
            for i in 0..<n where mask[i] == 0 { bsum += u[i]; bcount += 1 }
            let start = bsum / max(bcount, 1)
            for i in hole { u[i] = start }
            for _ in 0..<iterations {
                for i in hole {
                    let yy = i / w, xx = i % w
                    var s: Float = 0, k: Float = 0
                    if xx > 0 { s += u[i - 1]; k += 1 }
                    if xx < w - 1 { s += u[i + 1]; k += 1 }
                    if yy > 0 { s += u[i - w]; k += 1 }
                    if yy < h - 1 { s += u[i + w]; k += 1 }
                    u[i] += 1.9 * (s / k - u[i])
                }
            }
            for i in hole { out[c * n + i] = max(u[i] - Foundation.log(max(x.pixels[c * n + i], 0) + eps), 0) }
        }
        return out
    }
}
