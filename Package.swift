// swift-tools-version:6.0
// Lux: photo post-processing engine. Layers, arrows pointing down only:
//   C wrappers -> LuxImage -> LuxColor -> LuxIO        (image type, colour, codecs)
//                 LuxTensor                            (tensor + reverse-mode autodiff)
//                 LuxKernels -> LuxKernelsAVX512       (renderer register kernels: AVX2, and AVX-512 by CPU check)
//                 LuxFilters (LuxImage + LuxTensor + LuxKernels*)  (white-box differentiable filters)
//                 LuxDatasets, LuxAgent, LuxHistogram, LuxHDR (engines: training data; `lux enhance`; `lux transfer`; `lux reexpose`/`hdr`)
//                 LuxAdjust (engine: `lux adjust`, semantics-aware local adjustment)
//                 LuxCLI (everything above) -> lux     (command line)
//                 LuxServer (LuxCLI's pipelines + Hummingbird) -> lux   (`lux serve`: HTTP API and web UI)
import PackageDescription

/// Hot pixel and tensor loops: AVX2/FMA code generation (Haswell and later; every CI host this
/// project runs on has it), unchecked arithmetic in release builds. AVX-512 is never assumed: the one
/// module built for it (LuxKernelsAVX512) runs only where the CPU says it has it.
let hot: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "haswell"]),
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]
/// Debug builds keep Haswell there too: unoptimised code calls shared runtime helpers (copies,
/// metadata) that the module would otherwise define with AVX-512 code for the linker to share.
let avx512: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "skylake-avx512", "-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
    .unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .debug)),
]

let package = Package(
    name: "Lux",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Lux", targets: ["LuxImage", "LuxColor", "LuxIO", "LuxTensor", "LuxKernels", "LuxFilters", "LuxDatasets", "LuxAgent", "LuxHistogram", "LuxHDR", "LuxCorrect", "LuxAdjust"]),
        .executable(name: "lux", targets: ["lux"]),
        .executable(name: "lux-bench", targets: ["lux-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // C libraries from Debian, wrapped as system-library targets.
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CTIFF", pkgConfig: "libtiff-4", providers: [.apt(["libtiff-dev"])]),
        .systemLibrary(name: "CLibRaw", pkgConfig: "libraw_r", providers: [.apt(["libraw-dev"])]),
        .systemLibrary(name: "CLCMS2", pkgConfig: "lcms2", providers: [.apt(["liblcms2-dev"])]),
        // No pkgConfig on purpose: OpenEXR.pc links the C++ libraries; the core C API needs one .so.
        .systemLibrary(name: "COpenEXR", providers: [.apt(["libopenexr-dev"])]),
        // Debian ships no dnnl.pc; the header is on the default include path.
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

        // libpng's setjmp/longjmp error handling, wrapped in C so Swift sees return codes.
        .target(name: "CLuxPNG", dependencies: ["CPNG"]),
        // AVX2 table look-ups (vpermps, vgatherdps) as inline functions over SIMD8 vectors.
        .target(name: "CLuxSIMD"),

        .target(name: "LuxImage", swiftSettings: hot),
        .target(name: "LuxColor", dependencies: ["LuxImage", "CLCMS2"], swiftSettings: hot),
        .target(name: "LuxIO", dependencies: ["LuxImage", "LuxColor", "CTurboJPEG", "CPNG", "CLuxPNG", "CTIFF", "CLibRaw", "COpenEXR"],
                swiftSettings: hot),
        .target(name: "LuxTensor", dependencies: ["CDNNL"], swiftSettings: hot),
        // The renderer's register kernels (AVX2), and the same kernels specialised for AVX-512 (runtime dispatch).
        .target(name: "LuxKernels", dependencies: ["CLuxSIMD"], swiftSettings: hot),
        .target(name: "LuxKernelsAVX512", dependencies: ["LuxKernels", "CLuxSIMD"], swiftSettings: avx512),
        .target(name: "LuxFilters", dependencies: ["LuxImage", "LuxTensor", "LuxKernels", "LuxKernelsAVX512", "CLuxSIMD"], swiftSettings: hot),
        // Engines: training data, the white-box editing agent (`lux enhance`).
        .target(name: "LuxDatasets", dependencies: ["LuxImage", "LuxColor", "LuxIO"], swiftSettings: hot),
        .target(name: "LuxAgent", dependencies: ["LuxImage", "LuxColor", "LuxIO", "LuxTensor", "LuxFilters", "LuxDatasets"],
                resources: [.copy("Resources")], swiftSettings: hot),
        // Histogram engine: Pitié colour transfer, regrain, the 3-D histogram network (`lux transfer`, `--engine histogram`).
        .target(name: "LuxHistogram", dependencies: ["LuxImage", "LuxColor", "LuxIO", "LuxTensor", "LuxDatasets"],
                resources: [.copy("Resources")], swiftSettings: hot),
        // Re-exposure: radiance-map reconstruction with highlight hallucination (`lux reexpose`, `lux hdr`).
        .target(name: "LuxHDR", dependencies: ["LuxImage", "LuxColor", "LuxIO", "LuxTensor", "LuxDatasets"],
                resources: [.copy("Resources")], swiftSettings: hot),
        // Multi-scale exposure correction (`lux correct`).
        .target(name: "LuxCorrect", dependencies: ["LuxImage", "LuxIO", "LuxTensor", "LuxDatasets"],
                resources: [.copy("Resources")], swiftSettings: hot),
        // Semantics-aware local adjustment with discovered, user-replaceable adjustment maps (`lux adjust`).
        .target(name: "LuxAdjust", dependencies: ["LuxImage", "LuxColor", "LuxIO", "LuxTensor", "LuxDatasets"],
                resources: [.copy("Resources")], swiftSettings: hot),
        .target(name: "LuxCLI", dependencies: [
            "LuxImage", "LuxColor", "LuxIO", "LuxTensor", "LuxFilters", "LuxDatasets", "LuxAgent", "LuxHistogram", "LuxHDR", "LuxCorrect", "LuxAdjust",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // `lux serve`: the engines behind an HTTP API and a single-page UI (static files in Resources).
        .target(name: "LuxServer", dependencies: [
            "LuxImage", "LuxColor", "LuxIO", "LuxFilters", "LuxAgent", "LuxHistogram", "LuxHDR", "LuxCorrect", "LuxAdjust", "LuxCLI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ], resources: [.copy("Resources")]),
        .executableTarget(name: "lux", dependencies: ["LuxCLI", "LuxServer", "LuxIO",
                                                     .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "lux-bench", dependencies: ["LuxImage", "LuxColor", "LuxIO", "LuxTensor", "LuxFilters", "LuxAgent", "LuxHistogram", "LuxHDR", "LuxCorrect", "LuxCLI", "COpenBLAS"],
                          swiftSettings: hot),

        // What several test targets share (the package root), built only for the tests.
        .target(name: "LuxTestSupport", path: "Tests/LuxTestSupport"),
        .testTarget(name: "LuxImageTests", dependencies: ["LuxImage"]),
        .testTarget(name: "LuxColorTests", dependencies: ["LuxImage", "LuxColor"]),
        .testTarget(name: "LuxIOTests", dependencies: ["LuxImage", "LuxColor", "LuxIO"]),
        .testTarget(name: "LuxTensorTests", dependencies: ["LuxTensor"]),
        .testTarget(name: "LuxFiltersTests", dependencies: ["LuxImage", "LuxTensor", "LuxKernels", "LuxKernelsAVX512", "LuxFilters"]),
        .testTarget(name: "LuxDatasetsTests", dependencies: ["LuxImage", "LuxColor", "LuxIO", "LuxDatasets"]),
        .testTarget(name: "LuxAgentTests", dependencies: ["LuxImage", "LuxTensor", "LuxFilters", "LuxDatasets", "LuxAgent", "LuxCorrect"]),
        .testTarget(name: "LuxHistogramTests", dependencies: ["LuxImage", "LuxColor", "LuxIO", "LuxTensor", "LuxDatasets", "LuxHistogram"]),
        .testTarget(name: "LuxHDRTests", dependencies: ["LuxImage", "LuxIO", "LuxTensor", "LuxHDR"]),
        .testTarget(name: "LuxCorrectTests", dependencies: ["LuxImage", "LuxTensor", "LuxDatasets", "LuxCorrect", "LuxTestSupport"]),
        .testTarget(name: "LuxAdjustTests", dependencies: ["LuxImage", "LuxTensor", "LuxAdjust", "LuxTestSupport"]),
        .testTarget(name: "LuxCLITests", dependencies: ["LuxCLI", "LuxIO", "LuxImage", "LuxTensor", "LuxTestSupport"]),
        .testTarget(name: "LuxServerTests", dependencies: ["LuxServer", "LuxCLI", "LuxIO", "LuxImage", "LuxFilters",
                                                          .product(name: "Hummingbird", package: "hummingbird")]),
    ]
)
