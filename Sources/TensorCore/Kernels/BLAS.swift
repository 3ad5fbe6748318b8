import CBLAS

/// Thin wrapper over CBLAS `sgemm` (row-major), parallelised by TensorCore itself.
///
/// BLIS runs single-threaded (set once at configuration); a large GEMM is
/// split into blocks computed concurrently on ``TensorRuntime/threads``
/// workers: over the rows of C, or its columns, whichever is larger, or —
/// when both are small and the inner dimension is long — over the inner
/// dimension with per-worker partial products that are then summed. On a
/// loaded or shared machine this is far more robust than BLIS's OpenMP
/// threading, whose many internal barriers stall whenever one thread is
/// descheduled (measured: some GEMMs 50–1000× slower).
enum BLAS {
    /// `C[m×n] = alpha · op(A) · op(B) + beta · C` with row-major leading dimensions.
    ///
    /// `op(A)` is `m×k` (A stored `k×m` when `transA`), `op(B)` is `k×n`
    /// (stored `n×k` when `transB`).
    static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                      alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                      b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
                      threads: Int = TensorRuntime.threads) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
            return
        }
        _ = TensorRuntime.blasConfigured
        let flops = 2 * m * n * k
        let pa = UncheckedBox(a), pb = UncheckedBox(b), pc = UncheckedBox(c)
        if threads <= 1 || flops < 4_000_000 {
            call(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        } else if m >= n && m >= 32 * threads {
            // Row blocks of C (multiples of 16 rows).
            Parallel.forChunks((m + 15) / 16, threads: threads) { range in
                let i0 = range.lowerBound * 16, i1 = Swift.min(m, range.upperBound * 16)
                let aOffset = transA ? i0 : i0 * lda
                call(transA, transB, i1 - i0, n, k, alpha, pa.value + aOffset, lda, pb.value, ldb, beta, pc.value + i0 * ldc, ldc)
            }
        } else if n >= 32 * threads {
            // Column blocks of C (multiples of 16 columns, own cache lines).
            Parallel.forChunks((n + 15) / 16, threads: threads) { range in
                let j0 = range.lowerBound * 16, j1 = Swift.min(n, range.upperBound * 16)
                let bOffset = transB ? j0 * ldb : j0
                call(transA, transB, m, j1 - j0, k, alpha, pa.value, lda, pb.value + bOffset, ldb, beta, pc.value + j0, ldc)
            }
        } else {
            // Split the inner dimension: worker w computes a partial product, then C = beta·C + Σ partials.
            let workers = threads
            var partials = [Float](repeating: 0, count: workers * m * n)
            partials.withUnsafeMutableBufferPointer { pp in
                let pbuf = UncheckedBox(pp.baseAddress!)
                Parallel.forChunks(workers, threads: workers) { range in
                    for w in range {
                        let k0 = k * w / workers, k1 = k * (w + 1) / workers
                        if k0 == k1 { continue }
                        let aOffset = transA ? k0 * lda : k0
                        let bOffset = transB ? k0 : k0 * ldb
                        call(transA, transB, m, n, k1 - k0, alpha, pa.value + aOffset, lda, pb.value + bOffset, ldb,
                             0, pbuf.value + w * m * n, n)
                    }
                }
                for i in 0..<m {
                    for j in 0..<n {
                        var s: Float = beta == 0 ? 0 : beta * c[i * ldc + j]
                        for w in 0..<workers { s += pp[w * m * n + i * n + j] }
                        c[i * ldc + j] = s
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func call(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                             _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                             _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(Int32(TC_CBLAS_ROW_MAJOR),
                    Int32(transA ? TC_CBLAS_TRANS : TC_CBLAS_NO_TRANS),
                    Int32(transB ? TC_CBLAS_TRANS : TC_CBLAS_NO_TRANS),
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Row-major `op(A)·op(B)` into a new array of `m·n` elements.
    static func matmul(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, transA: Bool = false, transB: Bool = false) -> [Float] {
        if k == 0 { return [Float](repeating: 0, count: m * n) }
        return a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
            uninitializedFloats(m * n) { pc in
                sgemm(transA: transA, transB: transB, m: m, n: n, k: k,
                      a: pa.baseAddress!, lda: transA ? m : k, b: pb.baseAddress!, ldb: transB ? k : n,
                      beta: 0, c: pc.baseAddress!, ldc: n)
            }
        } }
    }
}

/// A new array of `count` Floats whose every element `fill` must write
/// (skips zero-initialisation of large temporaries).
@inline(__always)
func uninitializedFloats(_ count: Int, _ fill: (UnsafeMutableBufferPointer<Float>) -> Void) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
        if count > 0 { fill(buffer) }
        initialized = count
    }
}
