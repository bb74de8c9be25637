import Foundation
import Testing
@testable import LuxTensor

/// f(p) = Σ cᵢ (pᵢ − tᵢ)², an ill-conditioned quadratic with minimum at t.
private func quadraticLoss(_ p: Tensor) -> Tensor {
    let c = Tensor(shape: [3], data: [1, 4, 0.5]), t = Tensor(shape: [3], data: [1, -2, 3])
    return (c * (p - t).pow(2)).sum()
}

private func run(_ makeOpt: (Tensor) -> any Optimizer, steps: Int) -> [Float] {
    let p = Tensor(shape: [3], data: [0, 0, 0], requiresGrad: true)
    let opt = makeOpt(p)
    for _ in 0..<steps {
        opt.zeroGrad()
        quadraticLoss(p).backward()
        opt.step()
    }
    return p.data
}

@Suite struct OptimizerTests {
    let target: [Float] = [1, -2, 3]

    @Test func sgdConverges() {
        #expect(maxDiff(run({ SGD([$0], learningRate: 0.05) }, steps: 300), target) < 1e-3)
        #expect(maxDiff(run({ SGD([$0], learningRate: 0.02, momentum: 0.9) }, steps: 300), target) < 1e-3)
        #expect(maxDiff(run({ SGD([$0], learningRate: 0.02, momentum: 0.9, nesterov: true) }, steps: 300), target) < 1e-3)
    }

    @Test func adamConverges() {
        #expect(maxDiff(run({ Adam([$0], learningRate: 0.05) }, steps: 1000), target) < 1e-2)
        // Decoupled decay pulls the optimum towards 0 slightly: p* = c t / (c + λ/(2·lr))-ish; stays close.
        let w = run({ AdamW([$0], learningRate: 0.05, weightDecay: 1e-3) }, steps: 1000)
        #expect(maxDiff(w, target) < 0.05)
    }

    @Test func adamFirstStepIsLearningRateTimesSign() {
        // With bias correction the first Adam step is lr·g/(|g| + ε) = lr·sign(g).
        let p = Tensor(shape: [2], data: [1, -1], requiresGrad: true)
        p.grad = [10, -0.001]
        let opt = Adam([p], learningRate: 0.1)
        opt.step()
        #expect(maxDiff(p.data, [0.9, -0.9]) < 1e-4)
    }

    @Test func adamWDecaysWeightsWithoutGradientSignal() {
        let p = Tensor(shape: [1], data: [2], requiresGrad: true)
        p.grad = [0]
        let opt = AdamW([p], learningRate: 0.1, weightDecay: 0.5)
        opt.step()
        #expect(Swift.abs(p.data[0] - 2 * (1 - 0.05)) < 1e-6)
    }

    @Test func stateSaveLoadResumesIdentically() throws {
        let p1 = Tensor(shape: [3], data: [0, 0, 0], requiresGrad: true)
        let o1 = Adam([p1], learningRate: 0.05)
        for _ in 0..<5 { o1.zeroGrad(); quadraticLoss(p1).backward(); o1.step() }
        let p2 = Tensor(shape: [3], data: p1.data, requiresGrad: true)
        let o2 = Adam([p2], learningRate: 0.05)
        try o2.loadState(Dictionary(uniqueKeysWithValues: o1.stateTensors()))
        for (p, o) in [(p1, o1), (p2, o2)] as [(Tensor, Adam)] {
            for _ in 0..<3 { o.zeroGrad(); quadraticLoss(p).backward(); o.step() }
        }
        #expect(p1.data == p2.data)
        #expect(throws: TensorError.missingTensor("exp_avg.0")) { try o2.loadState(["step": Tensor(shape: [1], data: [1])]) }
        let s = SGD([p1], learningRate: 0.1, momentum: 0.9)
        #expect(throws: TensorError.shapeMismatch(name: "momentum.0", expected: [3], found: [2])) {
            try s.loadState(["step": Tensor(shape: [1], data: [1]), "momentum.0": Tensor(zeros: [2])])
        }
    }

    @Test func stateFileRoundTrip() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lux-opt-\(getpid()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let p = Tensor(shape: [3], data: [0, 0, 0], requiresGrad: true)
        let o = SGD([p], learningRate: 0.01, momentum: 0.9)
        for _ in 0..<4 { o.zeroGrad(); quadraticLoss(p).backward(); o.step() }
        try o.saveState(to: url, metadata: ["epoch": "4"])
        let o2 = SGD([Tensor(shape: [3], data: p.data, requiresGrad: true)], learningRate: 0.01, momentum: 0.9)
        #expect(try o2.loadState(from: url) == ["epoch": "4"])
        #expect(o2.stateTensors().map(\.1.data) == o.stateTensors().map(\.1.data))
    }
}
