/// Slicing, concatenation and constant padding.
extension Tensor {
    /// Elements `start, start+step, … < end` along `axis`. Gradient: scattered back, zeros elsewhere.
    public func slice(axis: Int, start: Int, end: Int, step: Int = 1) -> Tensor {
        let axis = axis < 0 ? axis + rank : axis
        precondition(axis >= 0 && axis < rank, "slice: axis out of range for shape \(shape)")
        precondition(step > 0, "slice: step must be positive, got \(step)")
        precondition(start >= 0 && start <= end && end <= shape[axis],
                     "slice: range \(start)..<\(end) invalid for axis \(axis) of extent \(shape[axis])")
        var outShape = shape
        outShape[axis] = (end - start + step - 1) / step
        var strides = shape.contiguousStrides
        let base = start * strides[axis]
        strides[axis] *= step
        let viewStrides = strides
        let inShape = shape
        let out = StridedCopy.gather(scalars, base: base, strides: viewStrides, shape: outShape)
        return Tensor.makeResult(shape: outShape, scalars: out, inputs: [self]) { g, _ in
            var d = [Float](repeating: 0, count: inShape.elementCount)
            StridedCopy.scatterAdd(g, into: &d, base: base, strides: viewStrides, shape: outShape)
            return [d]
        }
    }

    /// Joins tensors along `axis`; all other extents must match. Gradient: split back.
    public static func concat(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concat: no tensors")
        let r = tensors[0].rank
        let axis = axis < 0 ? axis + r : axis
        precondition(axis >= 0 && axis < r, "concat: axis out of range for rank \(r)")
        for t in tensors {
            precondition(t.rank == r && (0..<r).allSatisfy { $0 == axis || t.shape[$0] == tensors[0].shape[$0] },
                         "concat: shape \(t.shape) does not match \(tensors[0].shape) off axis \(axis)")
        }
        var outShape = tensors[0].shape
        outShape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        let outStrides = outShape.contiguousStrides
        var out = [Float](repeating: 0, count: outShape.elementCount)
        var offsets: [Int] = []
        var off = 0
        for t in tensors {
            offsets.append(off)
            StridedCopy.scatter(t.scalars, into: &out, base: off * outStrides[axis], strides: outStrides, shape: t.shape)
            off += t.shape[axis]
        }
        let shapes = tensors.map(\.shape)
        let starts = offsets
        return makeResult(shape: outShape, scalars: out, inputs: tensors) { g, needs in
            (0..<shapes.count).map { i in
                needs[i] ? StridedCopy.gather(g, base: starts[i] * outStrides[axis], strides: outStrides, shape: shapes[i]) : nil
            }
        }
    }

    /// Pads with a constant: `widths[i] = (before, after)` for axis `i`
    /// (fewer entries than the rank pad the trailing axes). Gradient: the interior slice.
    public func padded(_ widths: [(before: Int, after: Int)], value: Float = 0) -> Tensor {
        precondition(widths.count <= rank, "pad: \(widths.count) pad widths for shape \(shape)")
        precondition(widths.allSatisfy { $0.before >= 0 && $0.after >= 0 }, "pad: negative width")
        let lead = rank - widths.count
        var outShape = shape
        var before = [Int](repeating: 0, count: rank)
        for (i, w) in widths.enumerated() {
            outShape[lead + i] += w.before + w.after
            before[lead + i] = w.before
        }
        let outStrides = outShape.contiguousStrides
        let base = zip(before, outStrides).reduce(0) { $0 + $1.0 * $1.1 }
        var out = [Float](repeating: value, count: outShape.elementCount)
        StridedCopy.scatter(scalars, into: &out, base: base, strides: outStrides, shape: shape)
        let inShape = shape
        return Tensor.makeResult(shape: outShape, scalars: out, inputs: [self]) { g, _ in
            [StridedCopy.gather(g, base: base, strides: outStrides, shape: inShape)]
        }
    }
}
