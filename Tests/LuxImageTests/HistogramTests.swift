import Testing
@testable import LuxImage

@Test func channelHistogramKnownBinsAndClamping() {
    // R: 0 -> bin 0, 0.25 -> 1, 0.5 -> 2, 1.0 (upper edge) -> 3, -1 -> 0 (clamped), 2 -> 3 (clamped)
    let r: [Float] = [0, 0.25, 0.5, 1.0, -1, 2]
    let g: [Float] = [0.1, 0.1, 0.1, 0.1, 0.1, 0.9]
    let b: [Float] = [0.74, 0.75, 0.76, 0.49, 0.5, .nan]
    let img = Image(width: 3, height: 2, planes: [r, g, b])
    let h = img.histograms(bins: 4)
    #expect(h.counts[0] == [2, 1, 1, 2])
    #expect(h.counts[1] == [5, 0, 0, 1])
    #expect(h.counts[2] == [1, 1, 2, 2])   // NaN counts in bin 0
    let n = h.normalized()
    #expect(abs(n[0][0] - 2.0 / 6.0) < 1e-6)
}

@Test func histogramCountsSumToPixelCount() {
    let img = randomImage(width: 301, height: 97, channels: 4, seed: 11)
    let h = img.histograms(bins: 256)
    #expect(h.counts.count == 4)
    for ch in h.counts { #expect(ch.reduce(0, +) == 301 * 97) }
    // uniform random data: every bin near the expected count 301*97/256 = 114
    #expect(h.counts[0].allSatisfy { $0 > 60 && $0 < 170 })
    let rgb = img.rgbHistogram(bins: 8)
    #expect(rgb.counts.count == 512)
    #expect(rgb.counts.reduce(0, +) == 301 * 97)
    let v = rgb.values(normalized: true)
    #expect(abs(v.reduce(0, +) - 1) < 1e-4)
    // marginal of the 3-D histogram equals the 1-D histogram of R with the same bins
    let h8 = img.histograms(bins: 8)
    for r in 0..<8 {
        var s = 0
        for g in 0..<8 { for b in 0..<8 { s += rgb[r, g, b] } }
        #expect(s == h8.counts[0][r])
    }
}

@Test func rgbHistogramKnownCells() {
    let img = Image(width: 2, height: 2, planes: [[0, 1, 1, 0.2], [0, 1, 0, 0.3], [0, 1, 0, 0.4]])
    let h = img.rgbHistogram(bins: 2)
    #expect(h[0, 0, 0] == 2)     // black and (0.2, 0.3, 0.4)
    #expect(h[1, 1, 1] == 1)     // white
    #expect(h[1, 0, 0] == 1)     // red
    #expect(h.values(normalized: false) == [2, 0, 0, 0, 1, 0, 0, 1])
}
