import Foundation
import LuxHDR
import LuxImage
import LuxTensor
import Testing

/// A deterministic test image: planar RGB with values from `f(x, y, c)`.
func hdrTestImage(_ w: Int, _ h: Int, _ f: (Int, Int, Int) -> Float) -> Image {
    var px = [Float](repeating: 0, count: 3 * w * h)
    for c in 0..<3 { for y in 0..<h { for x in 0..<w { px[(c * h + y) * w + x] = f(x, y, c) } } }
    return Image(width: w, height: h, channels: 3, colorSpace: .working, pixels: px)
}

@Test func cameraResponsesInvertAndParse() {
    let crfs: [CameraResponse] = [.linear, .sqrt, .sRGB, .gamma(2.4), .parametric(gamma: 2.2, shoulder: 3)]
    for crf in crfs {
        for i in 0...100 {
            let x = Float(i) / 100
            #expect(abs(crf.decode(crf.encode(x)) - x) < 1e-4, "\(crf) at \(x)")
        }
        #expect(crf.encode(0) == 0 && abs(crf.encode(1) - 1) < 1e-6 && crf.encode(2) == crf.encode(1))
        #expect(CameraResponse(string: crf.description) == crf)
    }
    #expect(abs(CameraResponse.sqrt.encode(0.25) - 0.5) < 1e-6)
    // The shoulder curve is brighter than its plain gamma in the mid-tones and monotone.
    let p = CameraResponse.parametric(gamma: 2.2, shoulder: 1)
    #expect(p.encode(0.2) > CameraResponse.gamma(2.2).encode(0.2))
    #expect((1...99).allSatisfy { p.encode(Float($0) / 100) > p.encode(Float($0 - 1) / 100) })
    #expect(CameraResponse(string: "gamma:9") == nil && CameraResponse(string: "param:2") == nil && CameraResponse(string: "x") == nil)
}

@Test func softMaskIsZeroBelowThresholdAndOneAtClip() {
    // Columns: dark, just below τ (encoded), half-way into the ramp, clipped in one channel only.
    let crf = CameraResponse.sRGB
    let values: [Float] = [0.2, crf.decode(0.94), crf.decode(0.975), 1]
    let img = hdrTestImage(4, 1) { x, _, c in c == 1 ? values[x] : min(values[x], 0.1) }
    let m = InverseCamera.softMask(img, crf: crf, threshold: 0.95)
    #expect(m[0] == 0 && m[1] == 0)
    #expect(abs(m[2] - 0.5) < 1e-3)
    #expect(m[3] == 1)
    // Scene-referred data (values above 1) is not sensor-clipped: no mask at all.
    let scene = hdrTestImage(4, 1) { x, _, _ in Float(x) }
    #expect(InverseCamera.softMask(scene, crf: .linear).allSatisfy { $0 == 0 })
}

@Test func normalizationPutsNinetyFivePercentInUnitRange() {
    let img = hdrTestImage(100, 100) { x, y, _ in Float(y * 100 + x) / 10_000 * 0.25 }   // max_c up to 0.25
    let g = InverseCamera.normalizationGain(img)
    var inside = 0
    for v in img.pixels[0..<img.planeCount] where v * g <= 1 { inside += 1 }
    #expect(abs(Double(inside) / 10_000 - 0.95) < 0.01)
    #expect(InverseCamera.normalizationGain(hdrTestImage(4, 4) { _, _, _ in 1 }) == 1)
}

@Test func reexposeAtZeroEVWithoutClippingIsIdentity() {
    // 8-bit sRGB codes below the mask threshold: nothing is hallucinated, 0 EV returns the codes.
    let codes = hdrTestImage(37, 23) { x, y, c in Float((x * 7 + y * 13 + c * 29) % 236) / 255 }
    var encoded = codes
    encoded.colorSpace = .sRGB
    let linear = InverseCamera.linearize(encoded, crf: .sRGB)
    let map = Reconstruction.run(linear: linear, crf: .sRGB) { small, _ in [Float](repeating: 3, count: 3 * small.planeCount) }
    #expect(map.mask.allSatisfy { $0 == 0 })
    #expect(map.gain > 1)
    let out = map.reexposed(ev: 0, crf: .sRGB)
    let worst = zip(out.pixels, codes.pixels).map { abs(($0 * 255).rounded() - $1 * 255) }.max()!
    #expect(worst == 0)
}

@Test func reexposeAtMinusOneEVHalvesLinearValuesOutsideClippedRegions() {
    // Linear image clipped at 1 in a disc; everything else below 0.5.
    let img = hdrTestImage(40, 30) { x, y, c in
        let d = Float((x - 20) * (x - 20) + (y - 15) * (y - 15)).squareRoot()
        return d < 6 ? 1 : 0.05 + 0.01 * Float((x + 2 * y + c) % 40)
    }
    let map = Reconstruction.run(linear: img, crf: .linear) { small, _ in [Float](repeating: 1, count: 3 * small.planeCount) }
    let out = map.reexposed(ev: -1, crf: .linear)
    let n = img.planeCount
    var outside = 0, inside = 0
    for i in 0..<n {
        for c in 0..<3 {
            if map.mask[i] == 0 {
                #expect(abs(out.pixels[c * n + i] - img.pixels[c * n + i] / 2) <= 1e-6 * img.pixels[c * n + i])
                outside += 1
            } else if map.mask[i] == 1 {
                #expect(abs(out.pixels[c * n + i] - exp(1) / 2) < 1e-4)   // prediction (ratio e) blended in fully
                inside += 1
            }
        }
    }
    #expect(outside > 2000 && inside > 100)
}

@Test func fullResolutionIsKeptExactlyOutsideTheMask() {
    // 1300 x 700 > maxSide 512: the prediction runs reduced, unclipped pixels keep x · gain exactly.
    let img = hdrTestImage(1300, 700) { x, y, c in x > 600 && x < 700 && y > 300 && y < 400 ? 1 : Float((x * 3 + y * 5 + c) % 97) / 200 }
    var seen: (Int, Int) = (0, 0)
    let map = Reconstruction.run(linear: img, crf: .sRGB, maxSide: 512) { small, _ in
        seen = (small.width, small.height)
        return [Float](repeating: 0.7, count: 3 * small.planeCount)
    }
    #expect(seen.0 == 512 && seen.1 < 512)
    #expect(map.image.width == 1300 && map.image.height == 700)
    let n = img.planeCount
    var exact = true, raised = 0
    for i in 0..<n {
        for c in 0..<3 {
            let x = img.pixels[c * n + i], y = map.image.pixels[c * n + i]
            if map.mask[i] == 0 { if y != x * map.gain { exact = false } } else if y > x * map.gain * 1.5 { raised += 1 }
        }
    }
    #expect(exact)
    #expect(raised > 3 * 90 * 90)
}

@Test func harmonicFillReproducesALogRamp() {
    // log radiance linear in x: a harmonic function, so the fill must recover it inside the hole.
    let w = 40, h = 20
    let truth = hdrTestImage(w, h) { x, _, _ in exp(Float(x) * 0.05) * 0.1 }
    var mask = [Float](repeating: 0, count: w * h)
    for y in 5..<15 { for x in 10..<30 { mask[y * w + x] = 1 } }
    let observed = hdrTestImage(w, h) { x, y, c in mask[y * w + x] > 0 ? 0.1 : truth.pixels[(c * h + y) * w + x] }
    let r = Baselines.harmonicFill(observed, mask: mask, iterations: 600)
    for y in 5..<15 {
        for x in 10..<30 {
            let est = 0.1 * exp(r[y * w + x]), t = truth.pixels[y * w + x]
            #expect(abs(log(est / t)) < 0.02, "at \(x),\(y)")
        }
    }
    #expect(Baselines.clipping(observed, mask: mask).allSatisfy { $0 == 0 })
}

@Test func toneMapsStayInDisplayRange() {
    let img = hdrTestImage(16, 16) { x, y, _ in exp(Float(x + y) * 0.4) * 0.01 }
    for tm in ToneMap.allCases {
        let out = tm.apply(img)
        #expect(out.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        // Monotone along the diagonal.
        #expect((1..<16).allSatisfy { out[$0, $0, 1] >= out[$0 - 1, $0 - 1, 1] })
    }
}
