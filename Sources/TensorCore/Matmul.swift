/// Matrix multiplication through BLAS sgemm.
extension Tensor {
    /// `[M, K] × [K, N] → [M, N]`. Gradients: dA = G·Bᵀ, dB = Aᵀ·G.
    public func matmul(_ other: Tensor) -> Tensor {
        precondition(rank == 2 && other.rank == 2 && shape[1] == other.shape[0],
                     "matmul: shapes \(shape) and \(other.shape) are not [M, K] × [K, N]")
        let m = shape[0], k = shape[1], n = other.shape[1]
        let a = scalars, b = other.scalars
        let out = BLAS.matmul(a, b, m: m, n: n, k: k)
        return Tensor.makeResult(shape: [m, n], scalars: out, inputs: [self, other]) { g, needs in
            [needs[0] ? BLAS.matmul(g, b, m: m, n: k, k: n, transB: true) : nil,
             needs[1] ? BLAS.matmul(a, g, m: k, n: n, k: m, transA: true) : nil]
        }
    }
}
