import Testing
@testable import LuxTensor

@Test func tapeAccumulatesThroughSharedParent() {
    // y = x * x written with a hand rule, twice through one parent: dy/dx = 2x.
    let x = Tensor(shape: [2], data: [3, -1], requiresGrad: true)
    let y = Tensor.result(shape: [2], data: zip(x.data, x.data).map(*), parents: [x, x]) { out in
        let g = out.grad!
        x.accumulateGrad(zip(g, x.data).map(*))
        x.accumulateGrad(zip(g, x.data).map(*))
    }
    y.backward(seed: [1, 1])
    #expect(x.grad! == [6, -2])
    let z = GradMode.withoutGrad {
        Tensor.result(shape: [2], data: x.data, parents: [x]) { _ in }
    }
    #expect(z.requiresGrad == false)
}
