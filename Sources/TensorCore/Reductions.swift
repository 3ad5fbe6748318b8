/// Sums, means and maxima over axes.
extension Tensor {
    /// Normalises possibly negative axes and checks them against the rank.
    func normalizedAxes(_ axes: [Int], op: String) -> [Int] {
        let out = axes.map { $0 < 0 ? $0 + rank : $0 }
        for (a, o) in zip(axes, out) {
            precondition(o >= 0 && o < rank, "\(op): axis \(a) out of range for shape \(shape)")
        }
        precondition(Set(out).count == out.count, "\(op): repeated axis in \(axes)")
        return out.sorted()
    }

    /// The shape with the given axes set to 1 (kept) or removed.
    func reducedShape(_ axes: [Int], keepDims: Bool) -> (kept: [Int], result: [Int]) {
        var kept = shape
        for a in axes { kept[a] = 1 }
        let result = keepDims ? kept : shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
        return (kept, result)
    }

    /// The sum of all elements, as a 0-d tensor. d/dx = 1.
    public func sum() -> Tensor {
        sum(axes: Array(0..<rank), keepDims: false)
    }

    /// Sums over `axes` (negative counts from the end). d/dx = 1 (broadcast back).
    public func sum(axes: [Int], keepDims: Bool = false) -> Tensor {
        let ax = normalizedAxes(axes, op: "sum")
        let (kept, result) = reducedShape(ax, keepDims: keepDims)
        let inShape = shape
        let out = Broadcast.reduce(scalars, from: inShape, to: kept)
        return Tensor.makeResult(shape: result, scalars: out, inputs: [self]) { g, _ in
            [Broadcast.expand(g, from: kept, to: inShape)]
        }
    }

    /// Sums over one axis.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor { sum(axes: [axis], keepDims: keepDims) }

    /// The mean of all elements, as a 0-d tensor.
    public func mean() -> Tensor { mean(axes: Array(0..<rank), keepDims: false) }

    /// Means over `axes`: sum / (product of reduced extents).
    public func mean(axes: [Int], keepDims: Bool = false) -> Tensor {
        let ax = normalizedAxes(axes, op: "mean")
        let n = ax.reduce(1) { $0 * shape[$1] }
        precondition(n > 0, "mean: reducing over an empty axis of shape \(shape)")
        return sum(axes: ax, keepDims: keepDims) * (1 / Float(n))
    }

    /// Means over one axis.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor { mean(axes: [axis], keepDims: keepDims) }

    /// The maximum over `axes`; the gradient goes to the first maximal element.
    public func max(axes: [Int], keepDims: Bool = false) -> Tensor {
        let ax = normalizedAxes(axes, op: "max")
        let (kept, result) = reducedShape(ax, keepDims: keepDims)
        precondition(!shape.contains(0), "max: empty tensor of shape \(shape)")
        let outCount = kept.elementCount
        var best = [Float](repeating: -.infinity, count: outCount)
        var arg = [Int](repeating: -1, count: outCount)
        let so = Broadcast.strides(of: kept, broadcastTo: shape)
        let zero = [Int](repeating: 0, count: rank)
        scalars.withUnsafeBufferPointer { px in
            Broadcast.forEachRun(shape: shape, sa: so, sb: zero) { o, oo, _, n, io, _ in
                for i in 0..<n {
                    let v = px[o + i], t = oo + i * io
                    if v > best[t] || arg[t] < 0 { best[t] = v; arg[t] = o + i }
                }
            }
        }
        let inCount = count
        let argmax = arg
        return Tensor.makeResult(shape: result, scalars: best, inputs: [self]) { g, _ in
            var d = [Float](repeating: 0, count: inCount)
            for t in 0..<g.count { d[argmax[t]] += g[t] }
            return [d]
        }
    }

    /// The maximum over one axis.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor { max(axes: [axis], keepDims: keepDims) }

    /// The maximum of all elements, as a 0-d tensor.
    public func max() -> Tensor { max(axes: Array(0..<rank), keepDims: false) }
}
