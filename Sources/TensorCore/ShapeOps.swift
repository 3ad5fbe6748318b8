/// Reshape, permute and transpose (all produce contiguous results).
extension Tensor {
    /// The same elements under a new shape; one extent may be `-1` (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var target = newShape
        if let i = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element }
            precondition(known > 0 && count % known == 0, "reshape: cannot infer -1 in \(newShape) for \(count) elements (shape \(shape))")
            target[i] = count / known
        }
        precondition(target.allSatisfy { $0 >= 0 } && target.elementCount == count,
                     "reshape: shape \(shape) (\(count) elements) cannot become \(newShape)")
        return Tensor.makeResult(shape: target, scalars: scalars, inputs: [self]) { g, _ in [g] }
    }

    /// Flattens axes `from...` into one: `[N, C, H, W].flattened(from: 1)` is `[N, C·H·W]`.
    public func flattened(from axis: Int = 1) -> Tensor {
        precondition(axis >= 0 && axis <= rank, "flattened: axis \(axis) out of range for shape \(shape)")
        return reshaped(Array(shape[..<axis]) + [shape[axis...].reduce(1, *)])
    }

    /// Reorders axes: result axis `i` is input axis `axes[i]`. Gradient: inverse permutation.
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.count == rank && Set(axes) == Set(0..<rank),
                     "permute: \(axes) is not a permutation of the \(rank) axes of shape \(shape)")
        let inStrides = shape.contiguousStrides
        let outShape = axes.map { shape[$0] }
        let out = StridedCopy.gather(scalars, base: 0, strides: axes.map { inStrides[$0] }, shape: outShape)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, a) in axes.enumerated() { inverse[a] = i }
        let inv = inverse
        return Tensor.makeResult(shape: outShape, scalars: out, inputs: [self]) { g, _ in
            let gs = outShape.contiguousStrides
            return [StridedCopy.gather(g, base: 0, strides: inv.map { gs[$0] }, shape: inv.map { outShape[$0] })]
        }
    }

    /// Swaps two axes.
    public func transposed(_ a: Int, _ b: Int) -> Tensor {
        let a = a < 0 ? a + rank : a, b = b < 0 ? b + rank : b
        precondition(a >= 0 && a < rank && b >= 0 && b < rank, "transpose: axes (\(a), \(b)) out of range for shape \(shape)")
        var axes = Array(0..<rank)
        axes.swapAt(a, b)
        return permuted(axes)
    }

    /// The transpose of a matrix (rank 2).
    public var t: Tensor {
        precondition(rank == 2, "t: needs a matrix, got shape \(shape)")
        return transposed(0, 1)
    }
}
