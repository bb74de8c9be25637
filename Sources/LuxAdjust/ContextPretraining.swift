import Foundation
import LuxImage
import LuxTensor

/// Self-supervised pre-training of the context branch on photos without edits (the issue's "self-supervision on
/// the other photos"): colourisation — from L* and the pixel position only (a*, b* zeroed), a linear head on the
/// hypercolumn predicts each sampled pixel's a*, b* (L1 loss). Colour depends on what a region is (sky, foliage,
/// skin, stone), so the convolutions learn region features before the effect is trained.
public enum ContextPretraining {
    /// The context level (``AdjustConfig/contextSide``) of every image file in `folders` (not recursive).
    public static func load(folders: [String], config: AdjustConfig) throws -> [LabLevel] {
        var out: [LabLevel] = []
        let exts: Set<String> = ["png", "jpg", "jpeg", "tif", "tiff"]
        for folder in folders {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { throw AdjustError.noData("\(folder): folder not found") }
            for name in names.sorted() where exts.contains((name as NSString).pathExtension.lowercased()) {
                let image = try AdjustDataset.readWorking((folder as NSString).appendingPathComponent(name))
                out.append(LabLevel(image, side: config.contextSide))
            }
        }
        guard !out.isEmpty else { throw AdjustError.noData("no photos for the context pre-training") }
        return out
    }

    /// Trains `network`'s context branch (shared with every network built on it) for `iterations` steps of
    /// `batch` photos x `pixels` pixels, random horizontal flips; `progress` gets (iteration, running L1 in Lab units).
    public static func run(_ network: AdjustNetwork, photos: [LabLevel], iterations: Int, batch: Int = 4, pixels: Int = 2048,
                           learningRate: Float = 2e-3, seed: UInt64 = 1, progress: (Int, Float) -> Void = { _, _ in }) {
        var rng = RNG(seed: seed &+ 0x5E1F)
        let head = Linear(network.config.hypercolumnSize, 2, rng: &rng)
        let opt = Adam(network.convs.flatMap { $0.parameters() } + network.global.parameters() + head.parameters(), learningRate: learningRate)
        var avg: Float? = nil
        for it in 0..<iterations {
            var total: Tensor? = nil
            for _ in 0..<batch {
                let photo = photos[Int(rng.next() % UInt64(photos.count))]
                let w = photo.width, h = photo.height, n = w * h
                let warp = AdjustWarp(flip: rng.uniform() < 0.5, width: w, height: h)
                var grey = warp.warped(photo)
                for i in n..<(3 * n) { grey.lab[i] = 0 }
                let ctx = network.context([grey])
                let positions = (0..<pixels).map { _ in SIMD2(Float(rng.next() % UInt64(w)), Float(rng.next() % UInt64(h))) }
                let target = positions.flatMap { p -> [Float] in
                    let v = AdjustWarp.sample(photo.lab, width: w, height: h, at: warp.source(p))
                    return [v.y / 50, v.z / 50]
                }
                let pred = head(network.sample(ctx, positions: positions, width: w, height: h).hypercolumn)
                let l = Losses.l1(pred, Tensor(shape: [pixels, 2], data: target))
                total = total.map { $0 + l } ?? l
            }
            let loss = total! * (1 / Float(batch))
            network.zeroGrad(); head.zeroGrad()
            loss.backward()
            opt.step()
            avg = (avg ?? loss.item) * 0.9 + loss.item * 0.1
            if (it + 1) % 10 == 0 || it + 1 == iterations { progress(it + 1, avg! * 50) }
        }
    }
}
