import TensorCore

/// Batch normalisation over NCHW channels with learnable affine γ (`weight`)
/// and β (`bias`), and running statistics for eval mode.
///
/// Training mode normalises with batch statistics and updates
/// `runningMean`/`runningVar` with `momentum` (PyTorch convention); eval mode
/// uses the running statistics. Defaults match PyTorch (momentum 0.1, eps 1e-5).
public final class BatchNorm2d: Module, Layer {
    /// γ `[C]`, initialised to 1.
    public let weight: Parameter
    /// β `[C]`, initialised to 0.
    public let bias: Parameter
    /// Running mean `[C]` used in eval mode (initialised to 0).
    public let runningMean: Buffer
    /// Running (unbiased) variance `[C]` used in eval mode (initialised to 1).
    public let runningVar: Buffer
    /// Running-statistics momentum and the variance epsilon.
    public let momentum: Float, eps: Float

    /// Creates batch normalisation over `channels` channels.
    public init(_ channels: Int, momentum: Float = 0.1, eps: Float = 1e-5) {
        weight = Parameter(Tensor.ones([channels]))
        bias = Parameter(Tensor.zeros([channels]))
        runningMean = Buffer(Tensor.zeros([channels]))
        runningVar = Buffer(Tensor.ones([channels]))
        self.momentum = momentum; self.eps = eps
        super.init()
    }

    /// Members under PyTorch's state-dict names: `weight`, `bias`,
    /// `running_mean`, `running_var` (so checkpoints line up with PyTorch's).
    public override func namedMembers() -> [(String, Any)] {
        [("weight", weight), ("bias", bias), ("running_mean", runningMean), ("running_var", runningVar)]
    }

    /// Applies the layer to `input`.
    public func forward(_ input: Tensor) -> Tensor { forward(input, fusedReLU: false) }

    /// Normalises, optionally applying ReLU in the same pass (`max(BN(x), 0)`).
    public func forward(_ input: Tensor, fusedReLU: Bool) -> Tensor {
        input.batchNorm2d(weight: weight.value, bias: bias.value, runningMean: &runningMean.value,
                          runningVar: &runningVar.value, training: isTraining, momentum: momentum, eps: eps,
                          fusedReLU: fusedReLU)
    }
}
