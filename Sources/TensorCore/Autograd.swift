/// A vertex of the recorded autograd graph.
///
/// A leaf node (no `backward`) accumulates its gradient in ``grad`` across
/// `backward()` calls until zeroed. An interior node holds the closure that
/// maps its output gradient to gradients for its inputs; its gradient is
/// transient and freed once propagated.
///
/// Thread safety: a graph must be built and differentiated on one thread at a
/// time (hence `@unchecked Sendable`: tensors may be moved between threads,
/// but not shared concurrently while a backward pass runs).
final class GradNode: @unchecked Sendable {
    /// The nodes of the op's inputs, aligned with the closure's result; `nil`
    /// for inputs that need no gradient.
    let inputs: [GradNode?]
    /// Maps the output gradient to one gradient per input (`nil` to skip).
    let backward: (([Float]) -> [[Float]?])?
    /// The accumulated gradient (same element count as the value).
    var grad: [Float]?

    init(inputs: [GradNode?], backward: (([Float]) -> [[Float]?])?) {
        self.inputs = inputs
        self.backward = backward
    }

    var isLeaf: Bool { backward == nil }

    func accumulate(_ g: [Float]) {
        if var existing = grad {
            grad = nil
            precondition(existing.count == g.count, "autograd: gradient size mismatch \(existing.count) vs \(g.count)")
            existing.withUnsafeMutableBufferPointer { e in
                g.withUnsafeBufferPointer { src in
                    for i in 0..<e.count { e[i] += src[i] }
                }
            }
            grad = existing
        } else {
            grad = g
        }
    }
}

/// Whether operations record an autograd graph (task-local, default `true`).
public enum GradMode {
    @TaskLocal static var enabled: Bool = true

    /// `true` unless inside ``withNoGrad(_:)``.
    public static var isEnabled: Bool { enabled }
}

/// Runs `body` without recording an autograd graph (inference, updates).
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$enabled.withValue(false, operation: body)
}

extension Tensor {
    /// Whether gradients flow to or through this tensor.
    public var requiresGrad: Bool { node != nil }

    /// Whether this tensor is a graph leaf that accumulates a gradient.
    public var isLeaf: Bool { node?.isLeaf ?? true }

    /// A copy that is a fresh autograd leaf: `backward()` accumulates into its ``grad``.
    public func requiringGrad() -> Tensor {
        Tensor(shape: shape, scalars: scalars, node: GradNode(inputs: [], backward: nil))
    }

    /// A copy cut from the graph (no gradient flows through it).
    public func detached() -> Tensor {
        Tensor(shape: shape, scalars: scalars, node: nil)
    }

    /// The gradient accumulated in this leaf, or `nil` if none yet.
    public var grad: Tensor? {
        guard let node, node.isLeaf, let g = node.grad else { return nil }
        return Tensor(shape: shape, scalars: g)
    }

    /// Replaces the accumulated gradient of this leaf (e.g. for clipping).
    ///
    /// - Precondition: this tensor is a leaf that requires grad and `gradient`
    ///   has the same shape (or is `nil` to clear).
    public func setGrad(_ gradient: Tensor?) {
        guard let node, node.isLeaf else {
            preconditionFailure("setGrad: tensor is not a leaf that requires grad")
        }
        if let gradient {
            precondition(gradient.shape == shape, "setGrad: gradient shape \(gradient.shape) != tensor shape \(shape)")
            node.grad = gradient.scalars
        } else {
            node.grad = nil
        }
    }

    /// Clears the accumulated gradient of this leaf.
    public func zeroGrad() {
        node?.grad = nil
    }

    /// Back-propagates from this one-element tensor (seed gradient 1).
    public func backward() {
        precondition(count == 1, "backward(): needs a one-element tensor, got shape \(shape); pass a gradient for non-scalars")
        backward(gradient: Tensor(shape: shape, scalars: [1]))
    }

    /// Back-propagates `gradient` (same shape as this tensor) through the graph.
    ///
    /// Leaf gradients accumulate (`+=`); call ``zeroGrad()`` to reset them.
    public func backward(gradient: Tensor) {
        precondition(gradient.shape == shape, "backward(gradient:): gradient shape \(gradient.shape) != tensor shape \(shape)")
        guard let root = node else {
            preconditionFailure("backward(): tensor does not require grad (no recorded graph)")
        }
        // Topological order by iterative depth-first search.
        var order: [GradNode] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(GradNode, Int)] = [(root, 0)]
        visited.insert(ObjectIdentifier(root))
        while let top = stack.popLast() {
            let (n, i) = top
            if i < n.inputs.count {
                stack.append((n, i + 1))
                if let child = n.inputs[i], visited.insert(ObjectIdentifier(child)).inserted {
                    stack.append((child, 0))
                }
            } else {
                order.append(n)
            }
        }
        root.accumulate(gradient.scalars)
        withNoGrad {
            for n in order.reversed() {
                guard let fn = n.backward, let g = n.grad else { continue }
                n.grad = nil
                let inputGrads = fn(g)
                for (input, ig) in zip(n.inputs, inputGrads) {
                    if let input, let ig { input.accumulate(ig) }
                }
            }
        }
    }

    /// Builds an op result, recording `backward` if grad mode is on and any
    /// input requires grad. `backward(g, needs)` gets the output gradient and
    /// which inputs need one, and returns one gradient (or `nil`) per input.
    static func makeResult(shape: [Int], scalars: [Float], inputs: [Tensor],
                           backward: @escaping (_ grad: [Float], _ needs: [Bool]) -> [[Float]?]) -> Tensor {
        guard GradMode.enabled, inputs.contains(where: { $0.node != nil }) else {
            return Tensor(shape: shape, scalars: scalars, node: nil)
        }
        let nodes = inputs.map { $0.node }
        let needs = nodes.map { $0 != nil }
        let node = GradNode(inputs: nodes) { g in backward(g, needs) }
        return Tensor(shape: shape, scalars: scalars, node: node)
    }

    /// Defines a differentiable operation from a forward result and a backward rule.
    ///
    /// Use for ops not built in. `backward` receives the output gradient
    /// (shape `shape`) and returns one gradient per input, each with that
    /// input's shape (or `nil` for no gradient).
    public static func custom(inputs: [Tensor], shape: [Int], scalars: [Float],
                              backward: @escaping (_ outputGradient: Tensor) -> [Tensor?]) -> Tensor {
        let shapes = inputs.map(\.shape)
        return makeResult(shape: shape, scalars: scalars, inputs: inputs) { g, _ in
            let grads = backward(Tensor(shape: shape, scalars: g))
            precondition(grads.count == shapes.count, "Tensor.custom: backward returned \(grads.count) gradients for \(shapes.count) inputs")
            return zip(grads, shapes).map { grad, s in
                if let grad {
                    precondition(grad.shape == s, "Tensor.custom: gradient shape \(grad.shape) != input shape \(s)")
                    return grad.scalars
                }
                return nil
            }
        }
    }
}
