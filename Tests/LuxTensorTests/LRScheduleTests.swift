import Testing
@testable import LuxTensor

@Suite struct LRScheduleTests {
    @Test func schedules() {
        #expect(ConstantLR(0.1).learningRate(at: 999) == 0.1)
        let s = StepDecayLR(base: 1, stepSize: 10, gamma: 0.5)
        #expect(s.learningRate(at: 9) == 1 && s.learningRate(at: 10) == 0.5 && s.learningRate(at: 25) == 0.25)
        let c = CosineWarmupLR(base: 1, warmupSteps: 4, totalSteps: 104, minimum: 0.1)
        #expect(c.learningRate(at: 0) == 0.25 && c.learningRate(at: 3) == 1)
        #expect(Swift.abs(c.learningRate(at: 4) - 1) < 1e-6)
        #expect(Swift.abs(c.learningRate(at: 54) - 0.55) < 1e-6)
        #expect(Swift.abs(c.learningRate(at: 104) - 0.1) < 1e-6 && Swift.abs(c.learningRate(at: 500) - 0.1) < 1e-6)
        let p = Tensor(zeros: [1], requiresGrad: true)
        let opt = SGD([p], learningRate: 0)
        c.apply(to: opt, step: 1)
        #expect(opt.learningRate == 0.5)
    }
}
