/// Index-based gather and scatter-add along one axis (PyTorch semantics).
extension Tensor {
    /// Checks an index tensor's shape against `self` for gather/scatter on `axis`.
    func checkIndexShape(_ indexShape: [Int], _ indices: [Int], axis a: Int, op: String) {
        precondition(indexShape.count == rank, "\(op): index rank \(indexShape.count) != tensor rank \(rank)")
        for k in 0..<rank where k != a {
            precondition(indexShape[k] == shape[k], "\(op): index shape \(indexShape) must match \(shape) except on axis \(a)")
        }
        precondition(indices.count == indexShape.elementCount, "\(op): \(indices.count) indices for index shape \(indexShape)")
        for i in indices { precondition(i >= 0 && i < shape[a], "\(op): index \(i) out of range 0..<\(shape[a]) on axis \(a)") }
    }

    /// `out[…, k, …] = self[…, index[…, k, …], …]` along `axis`; `out` has the index shape.
    ///
    /// `indices` is row-major with shape `indexShape`, equal to `self.shape`
    /// except on `axis`. Gradient: scatter-add of `g` into the selected positions.
    public func gather(axis: Int, indices: [Int], indexShape: [Int]) -> Tensor {
        let (a, outer, len, inner) = axisLayout(axis, op: "gather")
        checkIndexShape(indexShape, indices, axis: a, op: "gather")
        let klen = indexShape[a]
        var out = [Float](repeating: 0, count: indices.count)
        for o in 0..<outer {
            for k in 0..<klen {
                for i in 0..<inner {
                    let t = (o * klen + k) * inner + i
                    out[t] = scalars[(o * len + indices[t]) * inner + i]
                }
            }
        }
        let inCount = count
        return Tensor.makeResult(shape: indexShape, scalars: out, inputs: [self]) { g, _ in
            var d = [Float](repeating: 0, count: inCount)
            for o in 0..<outer {
                for k in 0..<klen {
                    for i in 0..<inner {
                        let t = (o * klen + k) * inner + i
                        d[(o * len + indices[t]) * inner + i] += g[t]
                    }
                }
            }
            return [d]
        }
    }

    /// A copy of `self` with `source` added at `index` positions along `axis`:
    /// `out[…, index[…, k, …], …] += source[…, k, …]` (duplicates accumulate).
    ///
    /// Gradient: `g` for `self`, `gather(g)` for `source`.
    public func scatterAdd(axis: Int, indices: [Int], source: Tensor) -> Tensor {
        let (a, outer, len, inner) = axisLayout(axis, op: "scatterAdd")
        checkIndexShape(source.shape, indices, axis: a, op: "scatterAdd")
        let klen = source.shape[a]
        var out = scalars
        for o in 0..<outer {
            for k in 0..<klen {
                for i in 0..<inner {
                    let t = (o * klen + k) * inner + i
                    out[(o * len + indices[t]) * inner + i] += source.scalars[t]
                }
            }
        }
        let srcCount = source.count
        return Tensor.makeResult(shape: shape, scalars: out, inputs: [self, source]) { g, needs in
            var ds: [Float]? = nil
            if needs[1] {
                var d = [Float](repeating: 0, count: srcCount)
                for o in 0..<outer {
                    for k in 0..<klen {
                        for i in 0..<inner {
                            let t = (o * klen + k) * inner + i
                            d[t] = g[(o * len + indices[t]) * inner + i]
                        }
                    }
                }
                ds = d
            }
            return [needs[0] ? g : nil, ds]
        }
    }
}
