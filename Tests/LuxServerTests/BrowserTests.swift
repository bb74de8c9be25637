import Foundation
import LuxImage
import LuxIO
import Testing

/// The page in a real browser: headless Chromium loads `/`, a photo is picked in the file input, the
/// agent's result appears, the exposure slider moves, and the re-rendered result is on screen; then
/// the re-exposure, local-effect and exposure-correction engines run from the same page.
/// Skipped (with a printed reason) only where no Chromium is installed; `.ci/run` installs it.
@Suite(.serialized) struct BrowserTests {
    /// Where the test leaves its screenshots (before and after moving the slider).
    static let screenshotDir = FileManager.default.temporaryDirectory.appendingPathComponent("lux-serve-browser-test")

    @Test func pageEnhancesAPhotoAndASliderReRendersIt() async throws {
        guard let binary = HeadlessChromium.find() else {
            print("BrowserTests skipped: no chromium installed (scripts/install-deps.sh installs Debian's chromium)")
            return
        }
        try await TestServer.serving { server in try await run(base: server.base, binary: binary) }
    }

    func run(base: String, binary: String) async throws {
        // The browser is driven synchronously, on a thread of its own (off the cooperative pool).
        let (edited, enhanced, rect) = try await offPool { () throws -> (Image, Image, [Double]) in
            let browser = try HeadlessChromium(binary: binary)
            defer { browser.close() }
            try browser.openPage(width: 1280, height: 900)
            try browser.send("Page.navigate", ["url": base + "/"])
            try browser.wait(until: "document.body && document.body.dataset.ready === '1'", timeout: 60)
            try browser.setFile("#file", path: Fixtures.sample("kodim23.jpg"))
            try browser.wait(until: "document.getElementById('status').textContent.startsWith('agent: done')")
            try browser.wait(until: "Number(document.getElementById('after').dataset.renders) >= 2 && document.getElementById('after').complete")
            // Show the result over the whole compare area, then screenshot the agent's result.
            _ = try browser.evaluate("(() => { const s = document.getElementById('split'); s.value = 0; s.dispatchEvent(new Event('input')); return true })()")
            usleep(300_000)
            let first = try browser.screenshot()
            let rect = try browser.evaluate("(() => { const r = document.getElementById('compare').getBoundingClientRect(); return [r.x, r.y, r.width, r.height] })()") as? [Double] ?? []
            let renders = try browser.evaluate("Number(document.getElementById('after').dataset.renders)") as? Int ?? 0
            // Move the exposure slider as a person would (value, then an input event) and wait for the re-render.
            _ = try browser.evaluate("""
                (() => { const e = document.getElementById('f-exposure-ev'); e.value = e.max; e.dispatchEvent(new Event('input')); return true })()
                """)
            try browser.wait(until: "Number(document.getElementById('after').dataset.renders) > \(renders) && document.getElementById('status').textContent === 'Ready.'")
            usleep(300_000)
            let second = try browser.screenshot()
            // The other engines run from the same page on the preview (re-exposure, local effect, then exposure correction).
            for engine in ["reexpose", "adjust", "correct"] {
                _ = try browser.evaluate("(() => { const e = document.getElementById('engine'); e.value = '\(engine)'; e.dispatchEvent(new Event('change')); return true })()")
                try browser.wait(until: "document.getElementById('status').textContent.startsWith('\(engine): done')")
            }
            let third = try browser.screenshot()
            try FileManager.default.createDirectory(at: Self.screenshotDir, withIntermediateDirectories: true)
            try third.write(to: Self.screenshotDir.appendingPathComponent("3-correct.png"))
            try first.write(to: Self.screenshotDir.appendingPathComponent("1-enhanced.png"))
            try second.write(to: Self.screenshotDir.appendingPathComponent("2-exposure-slider.png"))
            let decode = { (d: Data) in try PNGCodec.decode(d, path: "screenshot", options: DecodeOptions()).image }
            return (try decode(second), try decode(first), rect)
        }
        print("BrowserTests: screenshots in \(Self.screenshotDir.path) (1-enhanced.png, 2-exposure-slider.png, 3-correct.png)")

        try #require(rect.count == 4 && rect[2] > 300 && rect[3] > 200, "compare area \(rect)")
        let region = (x: Int(rect[0]) + 4, y: Int(rect[1]) + 4, w: Int(rect[2]) - 8, h: Int(rect[3]) - 40)
        func stats(_ img: Image) -> (mean: Double, spread: Double) {
            var sum = 0.0, sq = 0.0, n = 0.0
            for c in 0..<3 {
                for y in region.y..<region.y + region.h {
                    for x in region.x..<region.x + region.w {
                        let v = Double(img[x, y, c]); sum += v; sq += v * v; n += 1
                    }
                }
            }
            let m = sum / n
            return (m, (sq / n - m * m).squareRoot())
        }
        let (a, b) = (stats(enhanced), stats(edited))
        print("BrowserTests: compare area mean \(a.mean) -> \(b.mean) after the exposure slider (spread \(a.spread) -> \(b.spread))")
        #expect(a.spread > 0.1, "the enhanced photo is on screen (not a blank area)")
        #expect(b.mean > a.mean + 0.1, "the slider's edit shows: the photo got brighter")
    }
}
