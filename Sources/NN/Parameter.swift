import TensorCore

/// A learnable tensor owned by a ``Module``; a shared reference so optimizers
/// update it in place.
///
/// While not frozen, ``value`` is an autograd leaf and `backward()`
/// accumulates into ``grad``. Freezing detaches it: no gradient is computed
/// and optimizers skip it.
public final class Parameter {
    /// The current value (an autograd leaf unless frozen).
    public var value: Tensor
    /// Whether this parameter is excluded from training.
    public private(set) var isFrozen = false
    /// Wraps `value` as a trainable leaf.
    public init(_ value: Tensor) {
        self.value = value.detached().requiringGrad()
    }

    /// The shape of the value.
    public var shape: [Int] { value.shape }
    /// The accumulated gradient, if any.
    public var grad: Tensor? { value.grad }
    /// Clears the accumulated gradient.
    public func zeroGrad() { if !isFrozen { value.zeroGrad() } }

    /// Stops gradient flow and optimizer updates for this parameter.
    public func freeze() {
        isFrozen = true
        value = value.detached()
    }

    /// Re-enables training (with a cleared gradient).
    public func unfreeze() {
        isFrozen = false
        value = value.detached().requiringGrad()
    }

    /// Overwrites the elements, keeping shape, leaf identity and frozen state.
    public func assign(_ newValue: Tensor) {
        precondition(newValue.shape == value.shape, "Parameter.assign: shape \(newValue.shape) != \(value.shape)")
        value.assign(newValue.scalars)
    }
}

/// A non-learnable state tensor of a ``Module`` (e.g. batch-norm running
/// statistics); saved in checkpoints, never updated by optimizers.
public final class Buffer {
    /// The current value (never requires grad).
    public var value: Tensor

    /// Wraps `value` (detached).
    public init(_ value: Tensor) { self.value = value.detached() }
}
