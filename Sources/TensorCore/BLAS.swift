import CBLAS

/// Thin wrapper over CBLAS `sgemm` (row-major).
enum BLAS {
    /// `C[m×n] = alpha · op(A) · op(B) + beta · C` with row-major leading dimensions.
    ///
    /// `op(A)` is `m×k` (A stored `k×m` when `transA`), `op(B)` is `k×n`.
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
        bli_thread_set_num_threads(Int64(threads))
        cblas_sgemm(Int32(TC_CBLAS_ROW_MAJOR),
                    Int32(transA ? TC_CBLAS_TRANS : TC_CBLAS_NO_TRANS),
                    Int32(transB ? TC_CBLAS_TRANS : TC_CBLAS_NO_TRANS),
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Row-major `op(A)·op(B)` into a new array of `m·n` elements.
    static func matmul(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, transA: Bool = false, transB: Bool = false) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
            sgemm(transA: transA, transB: transB, m: m, n: n, k: k,
                  a: pa.baseAddress!, lda: transA ? m : k, b: pb.baseAddress!, ldb: transB ? k : n,
                  beta: 0, c: pc.baseAddress!, ldc: n)
        } } }
        return c
    }
}
