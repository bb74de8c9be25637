let mode = CommandLine.arguments.dropFirst().first
if mode == "filters" { try FilterBench.run() } else {
print("lux-bench: no benchmarks yet")
}
