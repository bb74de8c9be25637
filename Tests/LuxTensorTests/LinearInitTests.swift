import Testing
@testable import LuxTensor

@Suite struct LinearInitTests {
    @Test func linearKnownValue() {
        var rng = RNG(seed: 1)
        let layer = Linear(2, 3, rng: &rng)
        layer.weight.data = [1, 2, 3, 4, 5, 6]
        layer.bias!.data = [0.5, -0.5, 1]
        let y = layer(Tensor(shape: [2, 2], data: [1, 1, 2, -1]))
        #expect(y.shape == [2, 3] && y.data == [3.5, 6.5, 12, 0.5, 1.5, 5])
        #expect(layer.namedParameters().map(\.0) == ["weight", "bias"])
        #expect(layer.parameterCount == 9)
    }

    @Test func gradLinear() {
        expectGrad([randomTensor([3, 4], seed: 70), randomTensor([2, 4], seed: 71), randomTensor([2], seed: 72)]) {
            linearForward($0[0], $0[1], $0[2])
        }
        expectGrad([randomTensor([4], seed: 73), randomTensor([5, 4], seed: 74)]) { linearForward($0[0], $0[1], nil) }
    }

    @Test func sequentialNamesAndForward() {
        var rng = RNG(seed: 2)
        let l0 = Linear(4, 8, rng: &rng), l2 = Linear(8, 1, rng: &rng)
        let net = Sequential([(l0, { l0($0) }), (nil, { $0.relu() }), (l2, { l2($0) })])
        #expect(net.namedParameters().map(\.0) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        let x = randomTensor([5, 4], seed: 3)
        #expect(net(x).data == l2(l0(x).relu()).data)
        #expect(net(x).shape == [5, 1])
    }

    @Test func fansAndInitStatistics() {
        #expect(Init.fans([16, 8]) == (8, 16))
        #expect(Init.fans([16, 8, 3, 3]) == (72, 144))
        var rng = RNG(seed: 5)
        let w = Init.kaimingNormal([256, 64, 3, 3], rng: &rng)
        let n = Float(w.count)
        let mean = w.data.reduce(0, +) / n
        let std = (w.data.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        #expect(Swift.abs(std - (2 / 576).squareRoot()) < 0.002 && Swift.abs(mean) < 0.002)
        let u = Init.kaimingUniform([128, 100], negativeSlope: 0.2, rng: &rng)
        let bound = (2 / 1.04 as Float).squareRoot() * (3 / 100 as Float).squareRoot()
        #expect(u.data.allSatisfy { Swift.abs($0) <= bound } && u.data.contains { Swift.abs($0) > 0.95 * bound })
        let xu = Init.xavierUniform([30, 20], rng: &rng)
        #expect(xu.data.allSatisfy { Swift.abs($0) <= (6 / 50 as Float).squareRoot() })
        let xn = Init.xavierNormal([200, 300], rng: &rng)
        let xstd = (xn.data.reduce(0) { $0 + $1 * $1 } / Float(xn.count)).squareRoot()
        #expect(Swift.abs(xstd - (2 / 500 as Float).squareRoot()) < 0.002)
    }
}
