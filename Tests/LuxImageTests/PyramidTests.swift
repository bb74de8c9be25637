import Testing
@testable import LuxImage

@Test(arguments: [(64, 48), (37, 29), (1, 7), (100, 3)])
func laplacianBuildCollapseIsExact(size: (Int, Int)) {
    let img = randomImage(width: size.0, height: size.1, seed: UInt64(size.0 * 1000 + size.1))
    let pyr = LaplacianPyramid(img, levels: 6)
    #expect(pyr.levels[0].width == size.0 && pyr.levels[0].height == size.1)
    for i in 1..<pyr.levels.count {
        #expect(pyr.levels[i].width == (pyr.levels[i - 1].width + 1) / 2)
        #expect(pyr.levels[i].height == (pyr.levels[i - 1].height + 1) / 2)
    }
    let back = pyr.collapse()
    #expect(back.width == img.width && back.height == img.height)
    #expect(maxAbsDiff(back.pixels, img.pixels) < 1e-5)
}

@Test func gaussianPyramidLevelsAndConstants() {
    let img = Image(width: 37, height: 29, fill: 0.25)
    let g = Pyramid.gaussian(img, levels: 10)
    #expect(g.map(\.width) == [37, 19, 10, 5, 3, 2, 1])
    #expect(g.map(\.height) == [29, 15, 8, 4, 2, 1, 1])
    for level in g { #expect(maxAbsDiff(level.pixels, [Float](repeating: 0.25, count: level.pixels.count)) < 1e-6) }
    // band-pass levels of a constant image are zero
    let lap = LaplacianPyramid(img, levels: 4)
    for band in lap.levels.dropLast() { #expect(band.pixels.allSatisfy { abs($0) < 1e-6 }) }
}

@Test func reduceAppliesBinomialKernel() {
    // A single impulse at x = 4 of a 9-wide row: reduced row sample x' = 2 reads taps 4+-2.
    var img = Image(width: 9, height: 1)
    for c in 0..<3 { img[4, 0, c] = 16 }
    let r = Pyramid.reduce(img)
    #expect(r.width == 5 && r.height == 1)
    #expect(r.plane(0) == [0, 1, 6, 1, 0])   // [1 4 6 4 1] sampled at even offsets
    // expand of an impulse gives the kernel times 2 per axis: (1, 4, 6, 4, 1) / 8
    var c = Image(width: 5, height: 1)
    for ch in 0..<3 { c[2, 0, ch] = 8 }
    #expect(Pyramid.expand(c, width: 9, height: 1).plane(1) == [0, 0, 1, 4, 6, 4, 1, 0, 0])
}

/// Straightforward reference implementations of reduce and expand (reflect-101 everywhere).
private func refl(_ i: Int, _ n: Int) -> Int {
    if n == 1 { return 0 }
    var j = i
    while j < 0 || j >= n { j = j < 0 ? -j : 2 * n - 2 - j }   // mirror until inside
    return j
}

@Test(arguments: [(13, 11), (14, 6), (5, 5), (2, 3)])
func reduceAndExpandMatchNaiveReference(size: (Int, Int)) {
    let (w, h) = size
    let img = randomImage(width: w, height: h, seed: 21)
    let k: [Float] = [1, 4, 6, 4, 1].map { $0 / 16 }
    let r = Pyramid.reduce(img)
    for c in 0..<3 { for y in 0..<r.height { for x in 0..<r.width {
        var v: Float = 0
        for j in 0..<5 { for i in 0..<5 { v += k[j] * k[i] * img[refl(2 * x + i - 2, w), refl(2 * y + j - 2, h), c] } }
        #expect(abs(r[x, y, c] - v) < 1e-5)
    } } }
    // expand: zero-insert onto the fine grid, reflect, blur with 2k per axis
    let e = Pyramid.expand(r, width: w, height: h)
    let cw = r.width, ch = r.height
    func up(_ x: Int, _ n: Int, _ cn: Int) -> [(Int, Float)] {   // coarse taps of fine x
        let even: [(Int, Float)] = [(refl(x / 2 - 1, cn), 0.125), (x / 2, 0.75), (refl(x / 2 + 1, cn), 0.125)]
        let odd: [(Int, Float)] = [(x / 2, 0.5), (refl(x / 2 + 1, cn), 0.5)]
        return x & 1 == 0 ? even : odd
    }
    for c in 0..<3 { for y in 0..<h { for x in 0..<w {
        var v: Float = 0
        for (yy, wy) in up(y, h, ch) { for (xx, wx) in up(x, w, cw) { v += wy * wx * r[xx, yy, c] } }
        #expect(abs(e[x, y, c] - v) < 1e-5)
    } } }
}
