print("lux-bench: no benchmarks yet")
