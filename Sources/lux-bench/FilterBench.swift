import Dispatch
import LuxFilters
import LuxImage

/// `lux-bench filters [runs]`: an 8-step recipe on a 24 MP (6000×4000) Float32 RGB image with the
/// fused renderer, median MP/s over several runs, beside a row-parallel memcpy of the same buffer
/// (same thread count) measured in the same run.
enum FilterBench {
    static func recipe() throws -> Recipe {
        Recipe([
            try RecipeStep("exposure", [0.7]),
            try RecipeStep("whiteBalance", [0.1, -0.15]),
            try RecipeStep("gamma", [0.8]),
            try RecipeStep("contrast", [0.3]),
            try RecipeStep("saturation", [0.2]),
            try RecipeStep("toneCurve", [0.8, 1.1, 1.2, 1.1, 1, 0.9, 0.9, 1.0]),
            try RecipeStep("highlightsShadows", [-0.3, 0.4]),
            try RecipeStep("vibrance", [0.25]),
        ])
    }

    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func seconds(_ body: () -> Void) -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }

    static func run(runs: Int = 7) throws {
        let w = 6000, h = 4000, n = w * h
        var src = Image(width: w, height: h)
        var state: UInt32 = 12345
        src.pixels.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { state = state &* 1664525 &+ 1013904223; p[i] = Float(state >> 8) / Float(1 << 24) }
        }
        var dst = Image(width: w, height: h)
        let renderer = Renderer(try recipe())
        var tRender: [Double] = [], tCopy: [Double] = [], cpuRender: [Double] = []
        for _ in 0..<runs {
            tCopy.append(seconds {
                src.pixels.withUnsafeBufferPointer { s in
                    dst.pixels.withUnsafeMutableBufferPointer { d in
                        let sp = s.baseAddress!, dp = d.baseAddress!
                        Parallel.forRanges(h) { rows in
                            for c in 0..<3 {
                                let o = c * n + rows.lowerBound * w
                                (dp + o).update(from: sp + o, count: rows.count * w)
                            }
                        }
                    }
                }
            })
            let c0 = cpuSeconds()
            tRender.append(seconds { renderer.render(src, into: &dst) })
            cpuRender.append(cpuSeconds() - c0)
        }
        let mr = tRender.sorted()[runs / 2], mc = tCopy.sorted()[runs / 2]
        let mp = Double(n) / 1e6
        let cpu = cpuRender.sorted()[runs / 2]
        print("filters: 8-step recipe (\(renderer.recipe.description))")
        print("filters: 24 MP Float32 RGB, \(Parallel.threadCount) threads, median of \(runs)")
        print("filters: render \(String(format: "%.1f", mr * 1000)) ms = \(String(format: "%.0f", mp / mr)) MP/s; memcpy \(String(format: "%.1f", mc * 1000)) ms = \(String(format: "%.0f", mp / mc)) MP/s (\(String(format: "%.1f", 2 * Double(n * 12) / mc / 1e9)) GB/s r+w); render/memcpy speed = \(String(format: "%.2f", mc / mr))")
        // On a shared machine the wall time includes waiting for cores; CPU time shows what the
        // kernel itself costs (wall time if it had all threads to itself).
        print("filters: render CPU time \(String(format: "%.1f", cpu * 1000)) ms over \(Parallel.threadCount) threads => \(String(format: "%.0f", mp / (cpu / Double(Parallel.threadCount)))) MP/s if uncontended")
    }
}
import Foundation
