import Testing
@testable import LuxTensor

/// End to end: conv 3->16 (3x3) + LeakyReLU + conv 16->3 (1x1), trained with Adam on random
/// 16x16 patches to reproduce a fixed colour transform `y = M·rgb + b`. Seeded, deterministic.
@Test func twoLayerCNNLearnsColourTransform() {
    let m: [Float] = [0.8, 0.3, -0.1, 0.1, 0.7, 0.2, -0.2, 0.1, 0.9]
    let bias: [Float] = [0.05, -0.1, 0.2]
    var rng = RNG(seed: 7)
    func batch() -> (Tensor, Tensor) {
        let n = 4, hw = 16 * 16
        let x = rng.uniformArray(n * 3 * hw)
        var y = [Float](repeating: 0, count: x.count)
        for b in 0..<n { for p in 0..<hw { for o in 0..<3 {
            var s = bias[o]
            for c in 0..<3 { s += m[o * 3 + c] * x[(b * 3 + c) * hw + p] }
            y[(b * 3 + o) * hw + p] = s
        } } }
        return (Tensor(shape: [n, 3, 16, 16], data: x), Tensor(shape: [n, 3, 16, 16], data: y))
    }
    let c1 = Conv2d(3, 16, kernelSize: 3, padding: 1, seed: 1)
    let c2 = Conv2d(16, 3, kernelSize: 1, seed: 2)
    let opt = Adam(c1.parameters() + c2.parameters(), learningRate: 1e-2)
    var losses: [Float] = []
    for _ in 0..<200 {
        let (x, y) = batch()
        opt.zeroGrad()
        let loss = Losses.mse(c2(c1(x).leakyReLU(0.2)), y)
        loss.backward()
        opt.step()
        losses.append(loss.item)
    }
    let first = losses[0], last = losses.suffix(5).reduce(0, +) / 5
    #expect(first / last > 100, "loss \(first) -> \(last)")
}
