import COpenBLAS
import Foundation
import LuxTensor

/// `lux-bench tensor [--runs N]`: SGEMM peak (OpenBLAS and oneDNN) and one training step
/// (forward + backward + Adam) of the reference CNN and the U-Net; steps/s medians.
enum TensorBench {
    static func run(_ args: [String]) {
        ensureOpenBLASCoreType()
        keepLargeBuffersInHeap()
        var runs = 5
        if let i = args.firstIndex(of: "--runs"), i + 1 < args.count, let n = Int(args[i + 1]) { runs = max(1, n) }
        let only = args.first { !$0.hasPrefix("-") && Int($0) == nil }
        if only == nil || only == "gemm" { gemmPeak() }
        if only == nil || only == "cnn" { referenceCNN(runs: runs) }
        if only == nil || only == "unet" { unet(runs: runs) }
    }

    /// Debian's OpenBLAS misdetects this CPU family (Prescott kernels, 4-5x slow) and reads
    /// OPENBLAS_CORETYPE only in its load-time constructor, so set it and re-exec ourselves.
    /// Also sets `OMP_WAIT_POLICY=PASSIVE` (read by libgomp at load): oneDNN's OpenMP workers
    /// otherwise spin between primitives and starve the Dispatch threads of the elementwise ops
    /// (on a shared 2-core machine this was over half of the CNN step: 1.2 -> 3.0 steps/s at load 5).
    static func ensureOpenBLASCoreType() {
        guard getenv("OPENBLAS_CORETYPE") == nil || getenv("OMP_WAIT_POLICY") == nil else { return }
        if getenv("OPENBLAS_CORETYPE") == nil { setenv("OPENBLAS_CORETYPE", "SkylakeX", 1) }
        if getenv("OMP_WAIT_POLICY") == nil { setenv("OMP_WAIT_POLICY", "PASSIVE", 1) }
        let argv = CommandLine.unsafeArgv
        execv("/proc/self/exe", argv)
        print("warning: re-exec with OPENBLAS_CORETYPE=SkylakeX failed (errno \(errno)); OpenBLAS numbers may be low")
    }

    /// glibc serves blocks above its mmap threshold with fresh mmap'd pages, so every large
    /// activation of a training step paid zero-fill page faults. Raise the threshold to its 32 MiB
    /// maximum and stop trimming the heap top, so freed activations are reused.
    static func keepLargeBuffersInHeap() {
        _ = glibcMallopt(-3, 32 << 20)   // M_MMAP_THRESHOLD (<malloc.h>, not in the Glibc module)
        _ = glibcMallopt(-1, 1 << 30)    // M_TRIM_THRESHOLD
    }

    static func seconds(_ body: () -> Void) -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Best-of-7 GFLOP/s of a 1024³ SGEMM (2·n³ flops).
    static func gemmPeak() {
        let n = 1024
        let a = (0..<n * n).map { Float($0 % 17) * 0.01 }, b = (0..<n * n).map { Float($0 % 13) * 0.01 }
        var c = [Float](repeating: 0, count: n * n)
        let flops = 2 * Double(n * n * n)
        var best = 0.0
        for _ in 0..<7 {
            let t = seconds {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a, Int32(n),
                            b, Int32(n), 0, &c, Int32(n))
            }
            best = max(best, flops / t / 1e9)
        }
        let coreType = String(cString: getenv("OPENBLAS_CORETYPE") ?? strdup("auto"))
        print(String(format: "cblas_sgemm 1024^3 (OpenBLAS, CORETYPE=%@, %d threads): %.1f GFLOP/s",
                     coreType, openblas_get_num_threads(), best))
        let c0 = c[12345]
        best = 0
        for _ in 0..<7 {
            let t = seconds {
                a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        c.withUnsafeMutableBufferPointer { pc in
                            DNNL.sgemm(transA: false, transB: false, m: n, n: n, k: n, a: pa.baseAddress!, lda: n,
                                       b: pb.baseAddress!, ldb: n, beta: 0, c: pc.baseAddress!, ldc: n)
                        }
                    }
                }
            }
            best = max(best, flops / t / 1e9)
        }
        print(String(format: "dnnl_sgemm  1024^3 (oneDNN): %.1f GFLOP/s (results agree: %@)",
                     best, abs(c[12345] - c0) < 1e-3 * max(1, abs(c0)) ? "yes" : "NO"))
    }

    /// Times `step` (after 2 warm-up steps): `runs` runs of `steps` steps, median steps/s.
    static func timeSteps(_ name: String, runs: Int, steps: Int, _ step: () -> Float) {
        var loss: Float = 0
        for _ in 0..<2 { loss = step() }
        var rates: [Double] = []
        for _ in 0..<runs {
            let t = seconds { for _ in 0..<steps { loss = step() } }
            rates.append(Double(steps) / t)
        }
        print(String(format: "%@: %.3f steps/s (median of %d runs x %d steps; min %.3f, max %.3f; last loss %.4f)",
                     name, median(rates), runs, steps, rates.min()!, rates.max()!, loss))
    }

    static func referenceCNN(runs: Int) {
        var rng = RNG(seed: 1)
        let model = BenchCNN(rng: &rng)
        let x = Tensor(shape: [64, 3, 64, 64], data: rng.normalArray(64 * 3 * 64 * 64))
        let target = Tensor(shape: [64, 1], data: rng.normalArray(64))
        let opt = Adam(model.parameters(), learningRate: 1e-3)
        timeSteps("reference CNN 64x64 b64 (MSE)", runs: runs, steps: 3) {
            opt.zeroGrad()
            let loss = Losses.mse(model(x), target)
            loss.backward()
            opt.step()
            return loss.item
        }
    }

    static func unet(runs: Int) {
        var rng = RNG(seed: 2)
        let model = BenchUNet(seed: 3)
        let x = Tensor(shape: [4, 3, 256, 256], data: rng.normalArray(4 * 3 * 256 * 256))
        let target = Tensor(shape: [4, 3, 256, 256], data: rng.normalArray(4 * 3 * 256 * 256))
        let opt = Adam(model.parameters(), learningRate: 1e-3)
        timeSteps("U-Net 256x256 b4 (L1)", runs: runs, steps: 2) {
            opt.zeroGrad()
            let loss = Losses.l1(model(x), target)
            loss.backward()
            opt.step()
            return loss.item
        }
    }
}

/// 64x64x3 -> four 4x4 stride-2 pad-1 convs (32/64/128/256, LeakyReLU 0.2) -> FC 128 -> scalar.
final class BenchCNN: Module {
    let convs: [Conv2d]
    let fc: Linear, head: Linear

    init(rng: inout RNG) {
        let ch = [3, 32, 64, 128, 256]
        convs = (0..<4).map { Conv2d(ch[$0], ch[$0 + 1], kernelSize: 4, stride: 2, padding: 1, seed: UInt64($0)) }
        fc = Linear(256 * 4 * 4, 128, negativeSlope: 0.2, rng: &rng)
        head = Linear(128, 1, rng: &rng)
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x
        for c in convs { h = c(h).leakyReLU(0.2) }
        h = fc(h.reshape([h.shape[0], 256 * 4 * 4])).leakyReLU(0.2)
        return head(h)
    }

    func namedParameters() -> [(String, Tensor)] {
        convs.enumerated().flatMap { i, c in c.namedParameters().map { ("conv\(i).\($0.0)", $0.1) } }
            + fc.namedParameters().map { ("fc." + $0.0, $0.1) } + head.namedParameters().map { ("head." + $0.0, $0.1) }
    }
}

/// U-Net: stages 16-32-64-128 of two 3x3 convs + LeakyReLU(0.2), 2x2 max-pool down, 2x2 stride-2
/// transposed conv up, skips concatenated on channels, 1x1 conv to 3 channels.
final class BenchUNet: Module {
    let down: [(Conv2d, Conv2d)]
    let upConvs: [ConvTranspose2d]
    let up: [(Conv2d, Conv2d)]
    let out: Conv2d

    init(seed: UInt64) {
        let ch = [16, 32, 64, 128]
        var s = seed
        func next() -> UInt64 { s &+= 1; return s }
        var prev = 3
        var d: [(Conv2d, Conv2d)] = []
        for c in ch {
            d.append((Conv2d(prev, c, kernelSize: 3, padding: 1, seed: next()), Conv2d(c, c, kernelSize: 3, padding: 1, seed: next())))
            prev = c
        }
        down = d
        var ups: [ConvTranspose2d] = [], u: [(Conv2d, Conv2d)] = []
        for c in ch.dropLast().reversed() {
            ups.append(ConvTranspose2d(prev, c, kernelSize: 2, stride: 2, seed: next()))
            u.append((Conv2d(2 * c, c, kernelSize: 3, padding: 1, seed: next()), Conv2d(c, c, kernelSize: 3, padding: 1, seed: next())))
            prev = c
        }
        upConvs = ups; up = u
        out = Conv2d(prev, 3, kernelSize: 1, seed: next())
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x
        var skips: [Tensor] = []
        for (i, (a, b)) in down.enumerated() {
            h = b(a(h).leakyReLU(0.2)).leakyReLU(0.2)
            if i < down.count - 1 { skips.append(h); h = maxPool2d(h, kernel: 2) }
        }
        for (u, (a, b)) in zip(upConvs, up) {
            h = Tensor.concat([u(h), skips.removeLast()], axis: 1)
            h = b(a(h).leakyReLU(0.2)).leakyReLU(0.2)
        }
        return out(h)
    }

    func namedParameters() -> [(String, Tensor)] {
        func named(_ prefix: String, _ m: Module) -> [(String, Tensor)] { m.namedParameters().map { (prefix + $0.0, $0.1) } }
        var p: [(String, Tensor)] = []
        for (i, (a, b)) in down.enumerated() { p += named("down\(i).0.", a) + named("down\(i).1.", b) }
        for (i, u) in upConvs.enumerated() { p += named("upconv\(i).", u) }
        for (i, (a, b)) in up.enumerated() { p += named("up\(i).0.", a) + named("up\(i).1.", b) }
        return p + named("out.", out)
    }
}

/// glibc `int mallopt(int param, int value)`.
@_silgen_name("mallopt")
private func glibcMallopt(_ param: Int32, _ value: Int32) -> Int32
