/// Elementwise maxima/minima, arg-max, explicit broadcasting and stacking.
extension Tensor {
    /// Elementwise `max(a, b)` with broadcasting; the gradient goes to the
    /// larger operand (to `self` on ties).
    public func maximum(_ other: Tensor) -> Tensor { select(other, op: "maximum") { $0 >= $1 } }

    /// Elementwise `min(a, b)` with broadcasting; the gradient goes to the
    /// smaller operand (to `self` on ties).
    public func minimum(_ other: Tensor) -> Tensor { select(other, op: "minimum") { $0 <= $1 } }

    /// Picks `self` where `takeSelf(a, b)`, else `other`, routing gradients likewise.
    private func select(_ other: Tensor, op: String, _ takeSelf: @escaping (Float, Float) -> Bool) -> Tensor {
        let a = self, b = other
        let (shape, out) = Broadcast.binary(a.shape, a.scalars, b.shape, b.scalars, op: op) { takeSelf($0, $1) ? $0 : $1 }
        return Tensor.makeResult(shape: shape, scalars: out, inputs: [a, b]) { g, needs in
            let ax = Broadcast.expand(a.scalars, from: a.shape, to: shape)
            let bx = Broadcast.expand(b.scalars, from: b.shape, to: shape)
            var ga = [Float](repeating: 0, count: g.count), gb = [Float](repeating: 0, count: g.count)
            for i in 0..<g.count {
                if takeSelf(ax[i], bx[i]) { ga[i] = g[i] } else { gb[i] = g[i] }
            }
            return [needs[0] ? Broadcast.reduce(ga, from: shape, to: a.shape) : nil,
                    needs[1] ? Broadcast.reduce(gb, from: shape, to: b.shape) : nil]
        }
    }

    /// The index of the maximum along `axis` (first on ties), row-major over
    /// the remaining axes; not differentiable.
    public func argmax(axis: Int) -> [Int] {
        let (_, outer, len, inner) = axisLayout(axis, op: "argmax")
        precondition(len > 0, "argmax: empty axis in shape \(shape)")
        var out = [Int](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for i in 0..<inner {
                var best = scalars[o * len * inner + i], arg = 0
                for k in 1..<len where scalars[(o * len + k) * inner + i] > best {
                    best = scalars[(o * len + k) * inner + i]
                    arg = k
                }
                out[o * inner + i] = arg
            }
        }
        return out
    }

    /// This tensor broadcast to `shape` (materialised). Gradient: summed back.
    public func broadcast(to target: [Int]) -> Tensor {
        precondition(Broadcast.shape(shape, target, op: "broadcast") == target,
                     "broadcast: shape \(shape) cannot be broadcast to \(target)")
        let inShape = shape
        return Tensor.makeResult(shape: target, scalars: Broadcast.expand(scalars, from: shape, to: target), inputs: [self]) { g, _ in
            [Broadcast.reduce(g, from: target, to: inShape)]
        }
    }

    /// Stacks equally shaped tensors along a new axis `axis` (0…rank).
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stack: no tensors")
        let shape = tensors[0].shape
        precondition(axis >= 0 && axis <= shape.count, "stack: axis \(axis) out of range for rank \(shape.count)")
        precondition(tensors.allSatisfy { $0.shape == shape }, "stack: shapes differ: \(tensors.map(\.shape))")
        var expanded = shape
        expanded.insert(1, at: axis)
        return concat(tensors.map { $0.reshaped(expanded) }, axis: axis)
    }
}
