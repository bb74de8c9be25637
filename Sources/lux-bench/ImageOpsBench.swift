import Dispatch
import LuxImage

/// Timings of the LuxImage operations on a synthetic 24 MP (6000x4000) RGB image, best of `reps`.
/// Not wired into `main.swift` (owned elsewhere): call `ImageOpsBench.run()` from there to enable.
enum ImageOpsBench {
    static func run(reps: Int = 3) {
        func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        func time(_ name: String, _ f: () -> Void) {
            var best = Double.infinity
            for _ in 0..<reps { let t = now(); f(); best = min(best, now() - t) }
            print("imageops \(name): \(Int((best * 1000).rounded())) ms")
        }
        var px = [Float](repeating: 0, count: 6000 * 4000 * 3)
        var s: UInt32 = 1
        for i in px.indices { s = s &* 1664525 &+ 1013904223; px[i] = Float(s >> 8) / Float(1 << 24) }
        let img = Image(width: 6000, height: 4000, pixels: px)
        time("thumbnail 64") { _ = img.thumbnail(maxSide: 64) }
        time("thumbnail 512") { _ = img.thumbnail(maxSide: 512) }
        time("lanczos3 to 3000x2000") { _ = img.resized(width: 3000, height: 2000, filter: .lanczos3) }
        time("bilinear to 3000x2000") { _ = img.resized(width: 3000, height: 2000, filter: .bilinear) }
        time("laplacian pyramid 6 levels") { _ = LaplacianPyramid(img, levels: 6) }
        let p = LaplacianPyramid(img, levels: 6)
        time("laplacian collapse") { _ = p.collapse() }
        time("luminance") { _ = img.luminance() }
        time("histograms 256") { _ = img.histograms() }
        time("rgb histogram 16^3") { _ = img.rgbHistogram() }
        time("rgb to hsv") { _ = img.rgbToHSV() }
        time("linear rgb to lab") { _ = img.linearRGBToLab() }
        time("psnr") { _ = try? ImageMetrics.psnr(img, img) }
        time("ssim") { _ = try? ImageMetrics.ssim(img, img) }
    }
}
