/// A dense, row-major (C-contiguous) Float32 tensor with value semantics.
///
/// Layout: element `[i0, i1, …, iN-1]` lives at `sum(ik * strides[k])` in
/// ``scalars`` where `strides` are the contiguous row-major strides of
/// ``shape``. Images are NCHW (batch, channel, height, width).
///
/// Storage is a Swift `Array`, which is copy-on-write: copying a `Tensor` is
/// O(1) and the buffer is duplicated only when one copy is mutated. A tensor
/// may carry an autograd node (see ``requiresGrad``); copies share that node,
/// so they denote the same graph variable.
public struct Tensor: Sendable {
    /// The extent of each axis; `[]` is a scalar (one element).
    public let shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.product`.
    public internal(set) var scalars: [Float]
    /// Autograd bookkeeping; `nil` when no gradient flows through this value.
    var node: GradNode?

    /// Creates a tensor from a shape and row-major scalars (no gradient).
    ///
    /// - Precondition: `scalars.count` equals the product of `shape`, and no
    ///   extent is negative.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
        precondition(shape.elementCount == scalars.count,
                     "Tensor: shape \(shape) needs \(shape.elementCount) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
        self.node = nil
    }

    init(shape: [Int], scalars: [Float], node: GradNode?) {
        self.shape = shape
        self.scalars = scalars
        self.node = node
    }

    /// Creates a 0-d (scalar) tensor.
    public init(_ value: Float) {
        self.init(shape: [], scalars: [value])
    }

    /// The number of axes.
    public var rank: Int { shape.count }
    /// The number of elements.
    public var count: Int { scalars.count }

    /// The single value of a one-element tensor.
    public var item: Float {
        precondition(scalars.count == 1, "Tensor.item: tensor of shape \(shape) has \(scalars.count) elements, expected 1")
        return scalars[0]
    }

    /// The element at a multi-index (bounds are checked).
    public subscript(index: Int...) -> Float {
        precondition(index.count == shape.count, "Tensor subscript: \(index.count) indices for rank \(shape.count)")
        var offset = 0
        for (axis, i) in index.enumerated() {
            precondition(i >= 0 && i < shape[axis], "Tensor subscript: index \(i) out of range for axis \(axis) of extent \(shape[axis])")
            offset = offset * shape[axis] + i
        }
        return scalars[offset]
    }

    /// Replaces all elements in place, keeping the shape and any autograd leaf.
    ///
    /// Intended for optimizers and checkpoint loading on leaf tensors; values
    /// already captured by a recorded graph are not affected (copy-on-write).
    public mutating func assign(_ newScalars: [Float]) {
        precondition(newScalars.count == scalars.count,
                     "Tensor.assign: \(newScalars.count) scalars for shape \(shape)")
        scalars = newScalars
    }

    /// Calls `body` with mutable access to the elements (shape is fixed).
    public mutating func withMutableScalars<R>(_ body: (inout [Float]) throws -> R) rethrows -> R {
        let n = scalars.count
        let r = try body(&scalars)
        precondition(scalars.count == n, "Tensor.withMutableScalars: element count must not change")
        return r
    }
}

extension Array where Element == Int {
    /// The product of the extents (1 for a scalar shape).
    public var elementCount: Int { reduce(1, *) }

    /// Contiguous row-major strides for this shape.
    var contiguousStrides: [Int] {
        var strides = [Int](repeating: 1, count: count)
        var s = 1
        for i in stride(from: count - 1, through: 0, by: -1) {
            strides[i] = s
            s *= self[i]
        }
        return strides
    }
}

extension Tensor: CustomStringConvertible {
    /// A short summary: shape and the first few elements.
    public var description: String {
        let head = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(head)\(scalars.count > 8 ? ", …" : "")])"
    }
}
