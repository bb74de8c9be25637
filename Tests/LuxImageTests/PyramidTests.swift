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
