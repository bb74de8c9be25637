import Foundation
import LuxImage
import LuxTensor

/// Trains a ``HistogramNet`` on ``HistogramTrainingData``: each step draws `batch` (edited, original)
/// histogram pairs (seeded per iteration and sample, so a run is reproducible and resumable) and takes
/// one Adam step on `KL(original ‖ predicted)`. The learning rate decays by cosine from `learningRate`
/// to 5 % of it over `iterations`.
public final class HistogramTrainer {
    public let net: HistogramNet
    public let data: HistogramTrainingData
    public let optimizer: Adam
    public let batch: Int
    public let seed: UInt64
    public let iterations: Int
    public let baseRate: Float
    public private(set) var iteration = 0

    public init(net: HistogramNet, data: HistogramTrainingData, batch: Int = 32, learningRate: Float = 1e-3,
                weightDecay: Float = 0, iterations: Int, seed: UInt64 = 1) {
        self.net = net; self.data = data; self.batch = batch; self.seed = seed
        self.iterations = iterations; self.baseRate = learningRate
        optimizer = Adam(net.parameters(), learningRate: learningRate, weightDecay: weightDecay)
    }

    /// The pairs of iteration `it` (input and target `[batch, cells]`), generated in parallel.
    public func batchTensors(iteration it: Int) -> (input: Tensor, target: Tensor) {
        let cells = net.cells, bins = net.bins, b = batch
        var x = [Float](repeating: 0, count: b * cells), y = x
        let d = data, s = seed
        x.withUnsafeMutableBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in
                nonisolated(unsafe) let (xp, yp) = (xb.baseAddress!, yb.baseAddress!)
                Parallel.forRanges(b, minChunk: 1) { r in
                    for i in r {
                        var rng = RNG(seed: s &* 0x9E3779B97F4A7C15 &+ UInt64(it) &* 1_000_003 &+ UInt64(i))
                        let (a, t) = d.sample(bins: bins, rng: &rng)
                        for k in 0..<cells { xp[i * cells + k] = a[k]; yp[i * cells + k] = t[k] }
                    }
                }
            }
        }
        return (Tensor(shape: [b, cells], data: x), Tensor(shape: [b, cells], data: y))
    }

    /// One training step; returns (loss, KL of the unedited input histogram: the "do nothing" baseline).
    @discardableResult
    public func step() -> (loss: Float, baseline: Float) {
        let (x, y) = batchTensors(iteration: iteration)
        let progress = Float(iteration) / Float(Swift.max(1, iterations))
        optimizer.learningRate = baseRate * (0.05 + 0.95 * 0.5 * (1 + Float(cos(Double.pi * Double(progress)))))
        optimizer.zeroGrad()
        let loss = HistogramNet.loss(net(x), y)
        loss.backward()
        optimizer.step()
        iteration += 1
        let base = GradMode.withoutGrad { Losses.klDivergence(y, x).item }
        return (loss.item, base)
    }

    /// Writes the weights (float16 for shipping, float32 in checkpoints) with the model metadata.
    public func saveModel(to url: URL, dtype: SafeTensors.DType = .f16, extra: [String: String] = [:]) throws {
        try net.save(to: url, dtype: dtype, metadata: net.metadata.merging(extra) { a, _ in a })
    }

    /// Checkpoint: `url` (float32 weights + iteration) and `url.adam` (optimiser state).
    public func saveCheckpoint(to url: URL) throws {
        try saveModel(to: url, dtype: .f32, extra: ["iteration": "\(iteration)", "seed": "\(seed)"])
        try optimizer.saveState(to: url.appendingPathExtension("adam"), metadata: ["iteration": "\(iteration)"])
    }

    /// Restores a checkpoint written by ``saveCheckpoint(to:)``.
    public func resume(from url: URL) throws {
        let file = try SafeTensors.read(from: url)
        guard let it = file.metadata["iteration"].flatMap(Int.init) else { throw HistogramError.badModel("\(url.path): not a checkpoint") }
        try net.load(from: url)
        try optimizer.loadState(from: url.appendingPathExtension("adam"))
        iteration = it
    }
}
