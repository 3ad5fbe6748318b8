import TensorCore

/// A basic residual block (He et al. 2016): y = ReLU(body(x) + x), body = conv 3×3 → BatchNorm → ReLU →
/// conv 3×3 → BatchNorm, channels and size kept. NCHW in and out, `[B, C, H, W]`.
///
/// The last BatchNorm's γ starts at zero ("zero-init residual", Goyal et al. 2017), so a new block is the
/// identity and a deep stack trains from scratch as easily as a shallow one.
public final class ResidualBlock: Module, Layer {
    /// conv, BatchNorm, ReLU, conv, BatchNorm.
    public let body: Sequential

    /// A block on `channels` channels with weights drawn from `seed` (two convolutions: `seed`, `seed + 1`).
    public init(channels: Int, dilation: Int = 1, seed: UInt64) {
        let last = BatchNorm2d(channels)
        last.weight.assign(Tensor.zeros([channels]))
        body = Sequential([
            Conv2d(inChannels: channels, outChannels: channels, kernelSize: (3, 3), padding: (dilation, dilation),
                   dilation: (dilation, dilation), bias: false, seed: seed),
            BatchNorm2d(channels), ReLU(),
            Conv2d(inChannels: channels, outChannels: channels, kernelSize: (3, 3), padding: (dilation, dilation),
                   dilation: (dilation, dilation), bias: false, seed: seed &+ 1),
            last,
        ])
        super.init()
    }

    /// ReLU(body(x) + x).
    public func forward(_ input: Tensor) -> Tensor { (body(input) + input).relu() }

    /// Scalars stored by a block on `c` channels: two 3×3 convolutions and two BatchNorms (4 per channel).
    public static func storedScalars(channels c: Int) -> Int { 2 * (9 * c * c + 4 * c) }
}
