import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import LuxImage

/// 4x4 image whose every plane holds `y * 4 + x` (plane c adds 100 c).
private func pattern4x4() -> Image {
    var img = Image(width: 4, height: 4)
    for c in 0..<3 { for y in 0..<4 { for x in 0..<4 { img[x, y, c] = Float(y * 4 + x + 100 * c) } } }
    return img
}

@Test func boxHalvesKnownPatternExactly() {
    let out = pattern4x4().resized(width: 2, height: 2, filter: .box)
    #expect(out.width == 2 && out.height == 2)
    // means of the 2x2 blocks: (0,1,4,5) (2,3,6,7) (8,9,12,13) (10,11,14,15)
    let want: [Float] = [2.5, 4.5, 10.5, 12.5]
    for c in 0..<3 {
        for i in 0..<4 { #expect(abs(out.pixels[c * 4 + i] - (want[i] + Float(100 * c))) < 1e-4) }
    }
}

@Test func boxFractionalFactorIsAreaWeighted() {
    // 3 -> 2 columns: output 0 covers [0, 1.5): (a + 0.5 b) / 1.5, output 1: (0.5 b + c) / 1.5.
    let img = Image(width: 3, height: 1, pixels: [1, 2, 4, 1, 2, 4, 1, 2, 4])
    let out = img.resized(width: 2, height: 1, filter: .box)
    #expect(abs(out[0, 0, 0] - (1 + 1) / 1.5) < 1e-5)
    #expect(abs(out[1, 0, 0] - (1 + 4) / 1.5) < 1e-5)
    // the area mean is preserved
    #expect(abs((out[0, 0, 0] + out[1, 0, 0]) / 2 - 7.0 / 3.0) < 1e-5)
}

@Test(arguments: [ResampleFilter.box, .bilinear, .lanczos3])
func constantImageStaysConstant(filter: ResampleFilter) {
    let img = Image(width: 37, height: 23, channels: 4, fill: 0.3)
    for (w, h) in [(80, 51), (11, 7), (37, 9), (1, 1)] {
        let out = img.resized(width: w, height: h, filter: filter)
        #expect(out.width == w && out.height == h && out.channels == 4)
        #expect(maxAbsDiff(out.pixels, [Float](repeating: 0.3, count: out.pixels.count)) < 1e-5)
    }
}

/// Horizontal ramp v(x) = x at pixel centres x + 0.5 - 0.5; the resampled value at output i must be
/// the ramp at the output centre, (i + 0.5) * s - 0.5, away from the borders.
private func rampError(filter: ResampleFilter, src: Int, dst: Int, margin: Int) -> Float {
    var img = Image(width: src, height: 3)
    for y in 0..<3 { for x in 0..<src { for c in 0..<3 { img[x, y, c] = Float(x) } } }
    let out = img.resized(width: dst, height: 3, filter: filter)
    let s = Float(src) / Float(dst)
    var worst: Float = 0
    for i in margin..<(dst - margin) {
        let want = (Float(i) + 0.5) * s - 0.5
        for c in 0..<3 { worst = max(worst, abs(out[i, 1, c] - want)) }
    }
    return worst
}

@Test func linearRampStaysLinearInInterior() {
    #expect(rampError(filter: .bilinear, src: 40, dst: 64, margin: 2) < 1e-4)
    #expect(rampError(filter: .bilinear, src: 64, dst: 40, margin: 2) < 1e-4)
    #expect(rampError(filter: .box, src: 60, dst: 20, margin: 1) < 1e-4)
    // Sampled Lanczos-3 weights are not exactly linear-phase: at sub-pixel phase 0.25 the weighted
    // mean offset is 0.0198 px (computed independently), so a unit ramp may be off by up to ~0.02.
    #expect(rampError(filter: .lanczos3, src: 40, dst: 64, margin: 4) < 0.021)
    #expect(rampError(filter: .lanczos3, src: 64, dst: 40, margin: 6) < 5e-3)
}

@Test func lanczosDownscaleIsAntialiased() {
    // Columns alternate 0/1: a correct 3x area-scaled kernel averages them to about 0.5;
    // point-sampling filters would alias to 0 or 1.
    var img = Image(width: 90, height: 4)
    for y in 0..<4 { for x in 0..<90 { for c in 0..<3 { img[x, y, c] = Float(x & 1) } } }
    let out = img.resized(width: 30, height: 4, filter: .lanczos3)
    for x in 4..<26 { #expect(abs(out[x, 1, 0] - 0.5) < 0.05) }
    let bil = img.resized(width: 30, height: 4, filter: .bilinear)
    #expect(abs(bil[5, 1, 0] - 0.5) > 0.3)   // bilinear samples, it does not antialias
}

@Test func lanczosUpscaleInterpolatesSamples() {
    // Integer 2x upscale: output pixels straddle the source centres at +-0.25; the mean of every
    // output pair equals the source value for a smooth (linear) signal; and a constant row stays put.
    let img = randomImage(width: 20, height: 10)
    let up = img.resized(width: 40, height: 20, filter: .lanczos3)
    let down = up.resized(width: 20, height: 10, filter: .box)
    // box(2x) after lanczos(2x) is a mild low-pass: close to the original on average
    var err: Float = 0
    for i in img.pixels.indices { err += abs(img.pixels[i] - down.pixels[i]) }
    #expect(err / Float(img.pixels.count) < 0.15)
}

@Test func thumbnailKeepsAspectAndMean() {
    let img = randomImage(width: 600, height: 400, seed: 7)
    let t = img.thumbnail(maxSide: 64)
    #expect(t.width == 64 && t.height == 43)
    let tall = Image(width: 40, height: 100).thumbnail(maxSide: 10)
    #expect(tall.width == 4 && tall.height == 10)
    #expect(img.thumbnail(maxSide: 1000) == img)
    // area averaging preserves the global mean (to rounding)
    let m0 = img.plane(0).reduce(0, +) / Float(img.planeCount)
    let m1 = t.plane(0).reduce(0, +) / Float(t.planeCount)
    #expect(abs(m0 - m1) < 2e-3)
}

@Test func boxFractionalRampMatchesExactAreaIntegral() {
    // Source pixel j holds the constant j on [j, j+1); output i averages [i s, (i+1) s) exactly.
    let src = 64, dst = 40
    var img = Image(width: src, height: 2)
    for y in 0..<2 { for x in 0..<src { for c in 0..<3 { img[x, y, c] = Float(x) } } }
    let out = img.resized(width: dst, height: 2, filter: .box)
    let s = Double(src) / Double(dst)
    for i in 0..<dst {
        let a = Double(i) * s, b = Double(i + 1) * s
        var integral = 0.0
        for j in Int(a)...min(src - 1, Int(b)) {
            integral += Double(j) * max(0, min(b, Double(j + 1)) - max(a, Double(j)))
        }
        #expect(abs(Double(out[i, 1, 0]) - integral / s) < 1e-4)
    }
}

/// Reference values from Pillow 11 `Image.resize` on a mode-"F" image (same half-pixel centres,
/// same Lanczos-3 kernel stretched by the scale, normalised weights). Pillow clips the kernel at
/// the borders where Lux replicates the edge pixel, so only outputs whose support lies inside the
/// image are compared.
@Test func matchesPillowInInterior() {
    let src = (0..<16).map { Float(sin(0.7 * Double($0)) * 0.5 + 0.5 + 0.01 * Double($0)) }
    let img = Image(width: 16, height: 1, planes: [src, src, src])
    let lz10: [Float] = [0.612151, 1.000789, 0.859551, 0.341492, 0.061738, 0.352856, 0.902672, 1.113828, 0.747081, 0.274411]
    let lz27: [Float] = [0.469528, 0.592891, 0.824707, 0.979992, 1.021275, 0.995922, 0.892943, 0.724302, 0.527711,
                         0.335564, 0.174709, 0.083072, 0.072936, 0.143488, 0.289573, 0.487508, 0.695637, 0.893629,
                         1.037812, 1.107128, 1.095694, 1.002271, 0.840483, 0.657887, 0.450141, 0.266980, 0.194115]
    let bl27: [Float] = [0.500000, 0.629153, 0.825959, 0.935796, 1.004205, 0.973911, 0.872195, 0.721611, 0.528722,
                         0.342150, 0.193767, 0.109907, 0.082981, 0.171570, 0.295296, 0.493246, 0.690098, 0.885704,
                         1.009785, 1.100929, 1.067279, 0.985249, 0.832508, 0.647806, 0.452194, 0.306055, 0.210152]
    let a = img.resized(width: 10, height: 1, filter: .lanczos3)
    for i in 3...6 { #expect(abs(a[i, 0, 1] - lz10[i]) < 2e-5, "lanczos 16->10 at \(i)") }
    let b = img.resized(width: 27, height: 1, filter: .lanczos3)
    for i in 5...21 { #expect(abs(b[i, 0, 1] - lz27[i]) < 2e-5, "lanczos 16->27 at \(i)") }
    let c = img.resized(width: 27, height: 1, filter: .bilinear)
    for i in 1...25 { #expect(abs(c[i, 0, 1] - bl27[i]) < 2e-5, "bilinear 16->27 at \(i)") }
}

@Test func boxUpscaleIsNearestWithAreaBlendAtStraddles() {
    let img = Image(width: 2, height: 1, planes: [[1, 3], [1, 3], [1, 3]])
    // 2x: output footprints [0, .5) [.5, 1) [1, 1.5) [1.5, 2) never straddle -> 1 1 3 3
    #expect(img.resized(width: 4, height: 1, filter: .box).plane(0) == [1, 1, 3, 3])
    // 3 outputs: the middle footprint [2/3, 4/3) straddles the boundary evenly -> 2
    let three = img.resized(width: 3, height: 1, filter: .box).plane(0)
    #expect(abs(three[0] - 1) < 1e-6 && abs(three[1] - 2) < 1e-6 && abs(three[2] - 3) < 1e-6)
}
