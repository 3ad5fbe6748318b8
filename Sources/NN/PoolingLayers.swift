import TensorCore

/// Max pooling over NCHW (stride defaults to the kernel).
public final class MaxPool2d: Module, Layer {
    /// Window size, stride and padding (rows, columns).
    public let kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int)
    /// Creates the layer with a square window; `stride` defaults to `kernel`.
    public init(kernel: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernel = (kernel, kernel); self.stride = (stride ?? kernel, stride ?? kernel); self.padding = (padding, padding)
        super.init()
    }
    /// Applies the layer to `input`.
    public func forward(_ input: Tensor) -> Tensor { input.maxPool2d(kernel: kernel, stride: stride, padding: padding) }
}

/// Average pooling over NCHW (padding counted in the divisor, as PyTorch).
public final class AvgPool2d: Module, Layer {
    /// Window size, stride and padding (rows, columns).
    public let kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int)
    /// Creates the layer with a square window; `stride` defaults to `kernel`.
    public init(kernel: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernel = (kernel, kernel); self.stride = (stride ?? kernel, stride ?? kernel); self.padding = (padding, padding)
        super.init()
    }
    /// Applies the layer to `input`.
    public func forward(_ input: Tensor) -> Tensor { input.avgPool2d(kernel: kernel, stride: stride, padding: padding) }
}

/// Global average pooling `[N, C, H, W] → [N, C, 1, 1]`.
public final class GlobalAvgPool2d: Module, Layer {
    /// Creates the layer (no parameters).
    public override init() { super.init() }
    /// Applies the layer to `input`.
    public func forward(_ input: Tensor) -> Tensor { input.globalAvgPool2d() }
}

/// Nearest-neighbour upsampling by an integer factor.
public final class UpsampleNearest2d: Module, Layer {
    /// The integer upsampling factor on both axes.
    public let scale: Int
    /// Creates the layer with an integer factor.
    public init(scale: Int) { self.scale = scale; super.init() }
    /// Applies the layer to `input`.
    public func forward(_ input: Tensor) -> Tensor { input.upsampleNearest2d(scale: scale) }
}
