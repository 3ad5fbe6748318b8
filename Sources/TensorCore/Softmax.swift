import Foundation

/// Softmax and log-softmax along one axis (numerically stabilised by the max).
extension Tensor {
    /// (outer, axis length, inner) for iterating one axis of a row-major shape.
    func axisLayout(_ axis: Int, op: String) -> (Int, Int, Int, Int) {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "\(op): axis \(axis) out of range for shape \(shape)")
        return (a, shape[..<a].reduce(1, *), shape[a], shape[(a + 1)...].reduce(1, *))
    }

    /// `softmax(x)_i = e^{x_i − max} / Σ_j e^{x_j − max}` along `axis`.
    /// Gradient: `dx = y ⊙ (g − Σ g·y)`.
    public func softmax(axis: Int) -> Tensor {
        let (_, outer, len, inner) = axisLayout(axis, op: "softmax")
        let y = Tensor.logSoftmaxValues(scalars, outer: outer, len: len, inner: inner).map { Foundation.exp($0) }
        return Tensor.makeResult(shape: shape, scalars: y, inputs: [self]) { g, _ in
            var d = [Float](repeating: 0, count: g.count)
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * len * inner + i
                    var s: Float = 0
                    for k in 0..<len { s += g[base + k * inner] * y[base + k * inner] }
                    for k in 0..<len { d[base + k * inner] = y[base + k * inner] * (g[base + k * inner] - s) }
                }
            }
            return [d]
        }
    }

    /// `log_softmax(x)_i = x_i − max − log Σ_j e^{x_j − max}` along `axis`.
    /// Gradient: `dx = g − softmax(x)·Σ g`.
    public func logSoftmax(axis: Int) -> Tensor {
        let (_, outer, len, inner) = axisLayout(axis, op: "logSoftmax")
        let y = Tensor.logSoftmaxValues(scalars, outer: outer, len: len, inner: inner)
        return Tensor.makeResult(shape: shape, scalars: y, inputs: [self]) { g, _ in
            var d = [Float](repeating: 0, count: g.count)
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * len * inner + i
                    var s: Float = 0
                    for k in 0..<len { s += g[base + k * inner] }
                    for k in 0..<len { d[base + k * inner] = g[base + k * inner] - Foundation.exp(y[base + k * inner]) * s }
                }
            }
            return [d]
        }
    }

    static func logSoftmaxValues(_ x: [Float], outer: Int, len: Int, inner: Int) -> [Float] {
        var y = [Float](repeating: 0, count: x.count)
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * len * inner + i
                var mx = -Float.infinity
                for k in 0..<len { mx = Swift.max(mx, x[base + k * inner]) }
                var s: Float = 0
                for k in 0..<len { s += Foundation.exp(x[base + k * inner] - mx) }
                let lse = mx + Foundation.log(s)
                for k in 0..<len { y[base + k * inner] = x[base + k * inner] - lse }
            }
        }
        return y
    }
}
