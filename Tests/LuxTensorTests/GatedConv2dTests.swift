import Foundation
import Testing
@testable import LuxTensor

@Test func gatedConvIsFeatureTimesSigmoidGate() {
    let layer = GatedConv2d(3, 4, kernelSize: 3, stride: 2, padding: 1, seed: 5)
    let x = convTestTensor([2, 3, 8, 7], seed: 51)
    let y = layer(x)
    let f = conv2d(x, layer.feature.weight, bias: layer.feature.bias, stride: 2, padding: 1)
    let g = conv2d(x, layer.gate.weight, bias: layer.gate.bias, stride: 2, padding: 1)
    #expect(y.shape == [2, 4, 4, 4])
    let ref = zip(f.data, g.data).map { $0 / (1 + exp(-$1)) }
    #expect(zip(y.data, ref).allSatisfy { abs($0 - $1) < 1e-6 })
    #expect(layer.namedParameters().map(\.0) == ["feature.weight", "feature.bias", "gate.weight", "gate.bias"])
    #expect(layer.feature.weight.data != layer.gate.weight.data)
}

@Test func gatedConvGradients() {
    let layer = GatedConv2d(2, 3, kernelSize: 3, padding: 1, dilation: 2, seed: 6)
    let x = convTestTensor([2, 2, 6, 5], seed: 52)
    let params = [x] + layer.parameters()
    expectSampledGrad(params) { _ in layer(x) }
}
