import TensorCore

/// A fully connected layer: `y = x·Wᵀ + b` for `x` `[N, in]`, `W` `[out, in]`, `b` `[out]`.
///
/// Initialised like PyTorch: uniform in `±1/√in`.
public final class Linear: Module, Layer {
    /// Weight `[out, in]` (PyTorch layout).
    public let weight: Parameter
    /// Bias `[out]`, if any.
    public let bias: Parameter?

    /// Creates a layer with PyTorch-default initialisation drawn from `seed`.
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, seed: UInt64) {
        weight = Parameter(Initializer.kaimingUniformDefault([outFeatures, inFeatures], fanIn: inFeatures, seed: seed))
        self.bias = bias ? Parameter(Initializer.kaimingUniformDefault([outFeatures], fanIn: inFeatures, seed: seed &+ 1)) : nil
        super.init()
    }

    /// Applies the layer to `input`.
    public func forward(_ input: Tensor) -> Tensor {
        precondition(input.rank == 2 && input.shape[1] == weight.shape[1],
                     "Linear: input must be [N, \(weight.shape[1])], got \(input.shape)")
        let y = input.matmul(weight.value.t)
        if let bias { return y + bias.value }
        return y
    }
}
