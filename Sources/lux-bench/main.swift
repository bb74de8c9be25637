// lux-bench: a tiny dispatcher on the first argument. Each benchmark lives in its own file.
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "tensor":
    TensorBench.run(Array(arguments.dropFirst()))
default:
    print("usage: lux-bench <mode> [options]\n  tensor   GEMM peak (OpenBLAS, oneDNN) and CNN/U-Net training steps/s")
}
