import Dispatch
import LuxFilters
import LuxImage

/// `lux-bench filters [runs]`: an 8-step recipe on a 24 MP (6000×4000) Float32 RGB image with the
/// fused renderer, median MP/s over several runs, beside a row-parallel memcpy of the same buffer
/// (same thread count) measured in the same run.
enum FilterBench {
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

    /// Wall and process CPU seconds of `body`.
    static func measure(_ body: () -> Void) -> (wall: Double, cpu: Double) {
        let c0 = cpuSeconds()
        let wall = seconds(body)
        return (wall, cpuSeconds() - c0)
    }

    static func median(_ x: [Double]) -> Double { x.sorted()[x.count / 2] }
    static func f(_ v: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", v) }

    static func run(runs: Int = 9) throws {
        let w = 6000, h = 4000, n = w * h
        var src = Image(width: w, height: h)
        var state: UInt32 = 12345
        src.pixels.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { state = state &* 1664525 &+ 1013904223; p[i] = Float(state >> 8) / Float(1 << 24) }
        }
        var dst = Image(width: w, height: h)
        let steps = try Recipe.eightStepExample()
        var renderer = Renderer(steps)
        let setup = median((0..<5).map { _ in measure { renderer = Renderer(steps) }.wall })
        func copy() {
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
        }
        // The same recipe, timed in the same runs, through the AVX2 loops (the renderer takes the
        // AVX-512 build of its kernels where the CPU has it) and through one AVX2 loop per step (no
        // fused pairs: the reference the others must equal).
        let avx2 = Renderer(steps, loops: .avx2), separate = Renderer(steps, loops: .separate)
        var render: [(wall: Double, cpu: Double)] = [], memcpy: [(wall: Double, cpu: Double)] = []
        var render2: [Double] = [], render3: [Double] = []
        for _ in 0..<runs {
            memcpy.append(measure(copy))
            render.append(measure { renderer.render(src, into: &dst) })
            if renderer.usesAVX512 { render2.append(measure { avx2.render(src, into: &dst) }.wall) }
            render3.append(measure { separate.render(src, into: &dst) }.wall)
        }
        let mp = Double(n) / 1e6, t = Double(Parallel.threadCount)
        let mr = median(render.map(\.wall)), mc = median(memcpy.map(\.wall))
        let br = render.map(\.wall).min()!, bc = memcpy.map(\.wall).min()!
        let cr = median(render.map(\.cpu)), cc = median(memcpy.map(\.cpu))
        print("filters: 8-step recipe (\(renderer.recipe.description))")
        print("filters: 24 MP Float32 RGB, \(Parallel.threadCount) threads, \(runs) runs, memcpy and render interleaved; renderer setup (tables) \(f(setup * 1000, 2)) ms")
        print("filters: loops \(renderer.usesAVX512 ? "AVX-512 (LuxKernelsAVX512)" : "AVX2 (no AVX-512 on this CPU, or LUX_NO_AVX512 set)")")
        print("filters: median render \(f(mr * 1000, 1)) ms = \(f(mp / mr)) MP/s; memcpy \(f(mc * 1000, 1)) ms = \(f(mp / mc)) MP/s (\(f(2 * Double(n * 12) / mc / 1e9, 1)) GB/s r+w); render/memcpy = \(f(mc / mr, 2))")
        if !render2.isEmpty {
            let m2 = median(render2)
            print("filters: median render with the AVX2 loops \(f(m2 * 1000, 1)) ms = \(f(mp / m2)) MP/s; render/memcpy = \(f(mc / m2, 2)); AVX-512/AVX2 speed = \(f(m2 / mr, 2))")
        }
        let m3 = median(render3)
        print("filters: median render with one AVX2 loop per step (\(separate.passes) passes, against \(renderer.passes)) \(f(m3 * 1000, 1)) ms = \(f(mp / m3)) MP/s; render/memcpy = \(f(mc / m3, 2))")
        print("filters: best   render \(f(mp / br)) MP/s; memcpy \(f(mp / bc)) MP/s; render/memcpy = \(f(bc / br, 2))")
        // On a shared machine the wall time includes waiting for cores; CPU time shows what the
        // work itself costs (the wall time it would take with all threads to itself).
        print("filters: median CPU time render \(f(cr * 1000, 1)) ms, memcpy \(f(cc * 1000, 1)) ms over \(Parallel.threadCount) threads => render \(f(mp / (cr / t))) MP/s, memcpy \(f(mp / (cc / t))) MP/s if uncontended; ratio \(f(cc / cr, 2))")
        // Per-step compute cost: each step alone on a cache-resident 512x256 tile, one thread.
        let tw = 512, th = 256
        var tile = Image(width: tw, height: th), tout = Image(width: tw, height: th)
        tile.pixels.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { state = state &* 1664525 &+ 1013904223; p[i] = Float(state >> 8) / Float(1 << 24) }
        }
        func nsPerPixel(_ r: Renderer) -> Double {
            let reps = 40
            let c = median((0..<3).map { _ in measure { for _ in 0..<reps { r.render(tile, into: &tout) } }.cpu })
            return c / Double(reps * tw * th) * 1e9
        }
        print("filters: compute per pixel on a cache-resident tile (CPU ns/pixel, summed over threads): whole recipe \(f(nsPerPixel(renderer), 2)) (AVX2 loops \(f(nsPerPixel(avx2), 2))), empty recipe \(f(nsPerPixel(Renderer(Recipe([]))), 2))")
        let run = Recipe(Array(renderer.recipe.steps.prefix(4)))
        print("filters: per-channel run (\(run.steps.map(\.filter).joined(separator: ", "))): table \(f(nsPerPixel(Renderer(run, separable: .table)), 2)), exact kernels \(f(nsPerPixel(Renderer(run, separable: .exact)), 2)) ns/pixel; whole recipe with table \(f(nsPerPixel(Renderer(renderer.recipe, separable: .table)), 2)), exact \(f(nsPerPixel(Renderer(renderer.recipe, separable: .exact)), 2))")
        for step in renderer.recipe.steps {
            print("filters:   \(step.filter) alone: \(f(nsPerPixel(Renderer(Recipe([step]))), 2)) ns/pixel")
        }
    }
}
import Foundation
