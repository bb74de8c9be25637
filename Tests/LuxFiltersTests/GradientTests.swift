import Testing
import LuxFilters
import LuxTensor

/// Central differences of a filter applied in Double at pixel (x) and parameters (p).
private func loss(_ f: any Filter.Type, _ x: [Double], _ p: [Double], _ w: [Double], raw: Bool) -> Double {
    let pv = raw ? zip(f.parameters, p).map { $0.map($1) } : p
    var l = 0.0
    let hw = x.count / 3
    for i in 0..<hw {
        let o = f.applyPixel((x[i], x[hw + i], x[2 * hw + i]), pv)
        l += w[i] * o.0 + w[hw + i] * o.1 + w[2 * hw + i] * o.2
    }
    return l
}

@Suite("Filter gradients (finite differences)")
struct GradientTests {
    @Test(arguments: FilterRegistry.all.map { $0.id }, [false, true])
    func gradientsMatchCentralDifferences(id: String, raw: Bool) throws {
        let f = try #require(FilterRegistry.filter(id: id))
        var rng = TestRNG(UInt64(id.utf8.count * 7919 + (raw ? 1 : 0)))
        let hw = 4 * 3
        let img = randomImage(width: 4, height: 3, &rng, lo: 0.05, hi: 0.9)
        var p = testParameters(f, &rng)
        if raw { p = p.map { _ in rng.uniform(-0.8, 0.8) } }
        let w = (0..<(3 * hw)).map { _ in rng.uniform(-1, 1) }
        let x = Tensor(shape: [1, 3, 3, 4], data: img.pixels, requiresGrad: true)
        let pt = Tensor(shape: [1, p.count], data: p.map(Float.init), requiresGrad: true)
        let y = FilterOp.forward(f, images: x, params: pt, raw: raw)
        y.backward(seed: w.map(Float.init))
        let gx = try #require(x.grad), gp = try #require(pt.grad)
        // Use the Float-rounded inputs the tensors saw.
        let xd = img.pixels.map(Double.init), pd = p.map { Double(Float($0)) }
        let h = 1e-6
        for j in 0..<pd.count {
            var a = pd, b = pd
            a[j] += h; b[j] -= h
            let fd = (loss(f, xd, a, w, raw: raw) - loss(f, xd, b, w, raw: raw)) / (2 * h)
            #expect(abs(Double(gp[j]) - fd) <= 2e-3 * max(1, abs(fd)), "\(id) d/d\(f.parameters[j].name): \(gp[j]) vs \(fd)")
        }
        let pv = raw ? zip(f.parameters, pd).map { $0.map($1) } : pd
        for i in stride(from: 0, to: xd.count, by: 5) {
            var a = xd, b = xd
            a[i] += h; b[i] -= h
            let fd = (loss(f, a, pv, w, raw: false) - loss(f, b, pv, w, raw: false)) / (2 * h)
            #expect(abs(Double(gx[i]) - fd) <= 2e-3 * max(1, abs(fd)), "\(id) d/dx[\(i)]: \(gx[i]) vs \(fd)")
        }
    }

    @Test func batchUsesPerSampleParameters() {
        let x = Tensor(shape: [2, 3, 1, 1], data: [0.25, 0.25, 0.25, 0.25, 0.25, 0.25])
        let p = Tensor(shape: [2, 1], data: [1, -1])
        let y = FilterOp.forward(Exposure.self, images: x, params: p)
        #expect(abs(y.data[0] - 0.5) < 1e-6)
        #expect(abs(y.data[3] - 0.125) < 1e-6)
    }
}
