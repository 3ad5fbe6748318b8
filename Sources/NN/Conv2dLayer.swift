import TensorCore

/// A 2-d convolution layer over NCHW input (see `Tensor.conv2d`).
///
/// `weight` is `[outChannels, inChannels/groups, kh, kw]`, `bias` `[outChannels]`.
/// Initialised like PyTorch: weight and bias uniform in `±1/√(inChannels/groups·kh·kw)`.
public final class Conv2d: Module, Layer {
    /// Weight `[outChannels, inChannels/groups, kh, kw]`.
    public let weight: Parameter
    /// Bias `[outChannels]`, if any.
    public let bias: Parameter?
    /// Geometry: (rows, columns) stride, padding, dilation; channel groups.
    public let stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int), groups: Int

    /// Creates a convolution with PyTorch-default initialisation drawn from `seed`.
    public init(inChannels: Int, outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1,
                bias: Bool = true, seed: UInt64) {
        precondition(inChannels % groups == 0 && outChannels % groups == 0,
                     "Conv2d: groups \(groups) must divide inChannels \(inChannels) and outChannels \(outChannels)")
        let fanIn = inChannels / groups * kernelSize.0 * kernelSize.1
        weight = Parameter(Initializer.kaimingUniformDefault([outChannels, inChannels / groups, kernelSize.0, kernelSize.1],
                                                             fanIn: fanIn, seed: seed))
        self.bias = bias ? Parameter(Initializer.kaimingUniformDefault([outChannels], fanIn: fanIn, seed: seed &+ 1)) : nil
        self.stride = stride; self.padding = padding; self.dilation = dilation; self.groups = groups
        super.init()
    }

    /// Square-kernel convenience initialiser.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            dilation: Int = 1, groups: Int = 1, bias: Bool = true, seed: UInt64) {
        self.init(inChannels: inChannels, outChannels: outChannels, kernelSize: (kernelSize, kernelSize),
                  stride: (stride, stride), padding: (padding, padding), dilation: (dilation, dilation),
                  groups: groups, bias: bias, seed: seed)
    }

    /// Applies the layer to `input`.
    public func forward(_ input: Tensor) -> Tensor {
        input.conv2d(weight: weight.value, bias: bias?.value, stride: stride, padding: padding,
                     dilation: dilation, groups: groups)
    }
}
