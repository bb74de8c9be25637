/// Matrix product through `dnnl_sgemm` (which dispatches on CPU features, unlike Debian's
/// OpenBLAS that needs `OPENBLAS_CORETYPE`).
///
/// - `a` [M, K] x `b` [K, N] -> [M, N]
/// - `a` [B, M, K] x `b` [B, K, N] -> [B, M, N] (batched, one gemm per batch item)
/// - `a` [B, M, K] x `b` [K, N] -> [B, M, N] (`b` shared; its gradient sums over the batch)
///
/// Backward: dA = dC · Bᵀ, dB = Aᵀ · dC.
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.rank == 2 || a.rank == 3, "matmul: a must be 2-D or 3-D, shape is \(a.shape)")
    precondition(b.rank == 2 || b.rank == 3, "matmul: b must be 2-D or 3-D, shape is \(b.shape)")
    precondition(!(a.rank == 2 && b.rank == 3), "matmul: a is 2-D but b is batched; shapes \(a.shape) x \(b.shape)")
    let batch = a.rank == 3 ? a.shape[0] : 1
    let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1]
    let k2 = b.shape[b.rank - 2], n = b.shape[b.rank - 1]
    precondition(k == k2, "matmul: inner dimensions differ, shapes \(a.shape) x \(b.shape)")
    if b.rank == 3 { precondition(b.shape[0] == batch, "matmul: batch sizes differ, shapes \(a.shape) x \(b.shape)") }
    let bStride = b.rank == 3 ? k * n : 0
    let outShape = a.rank == 3 ? [batch, m, n] : [m, n]

    let out = makeArray(batch * m * n) { cRaw in
        let c = cRaw.assumingMemoryBound(to: Float.self)
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                for i in 0..<batch {
                    DNNL.sgemm(transA: false, transB: false, m: m, n: n, k: k, a: pa.baseAddress! + i * m * k, lda: k,
                               b: pb.baseAddress! + i * bStride, ldb: n, beta: 0, c: c + i * m * n, ldc: n)
                }
            }
        }
    }
    return Tensor.result(shape: outShape, data: out, parents: [a, b]) { res in
        let g = res.grad!
        g.withUnsafeBufferPointer { pg in
            if a.requiresGrad {
                let ga = makeArray(batch * m * k) { raw in
                    let d = raw.assumingMemoryBound(to: Float.self)
                    b.data.withUnsafeBufferPointer { pb in
                        for i in 0..<batch {
                            DNNL.sgemm(transA: false, transB: true, m: m, n: k, k: n, a: pg.baseAddress! + i * m * n, lda: n,
                                       b: pb.baseAddress! + i * bStride, ldb: n, beta: 0, c: d + i * m * k, ldc: k)
                        }
                    }
                }
                a.accumulateGrad(ga)
            }
            if b.requiresGrad {
                var gb = [Float](repeating: 0, count: b.count)
                gb.withUnsafeMutableBufferPointer { d in
                    a.data.withUnsafeBufferPointer { pa in
                        for i in 0..<batch {
                            // Shared b accumulates (beta = 1) across the batch.
                            DNNL.sgemm(transA: true, transB: false, m: k, n: n, k: m, a: pa.baseAddress! + i * m * k, lda: k,
                                       b: pg.baseAddress! + i * m * n, ldb: n, beta: bStride == 0 ? 1 : 0,
                                       c: d.baseAddress! + i * bStride, ldc: n)
                        }
                    }
                }
                b.accumulateGrad(gb)
            }
        }
    }
}
