import TensorCore

/// max(x, 0).
public final class ReLU: Module, Layer {
    /// Creates the layer (no parameters).
    public override init() { super.init() }
    /// Applies the layer to `input`.
    public func forward(_ input: Tensor) -> Tensor { input.relu() }
}

/// x for x > 0, slope·x otherwise.
public final class LeakyReLU: Module, Layer {
    /// The slope for negative inputs.
    public let slope: Float
    /// Creates the layer with the given negative slope.
    public init(slope: Float = 0.01) { self.slope = slope; super.init() }
    /// Applies the layer to `input`.
    public func forward(_ input: Tensor) -> Tensor { input.leakyRelu(slope: slope) }
}

/// x·σ(x).
public final class SiLU: Module, Layer {
    /// Creates the layer (no parameters).
    public override init() { super.init() }
    /// Applies the layer to `input`.
    public func forward(_ input: Tensor) -> Tensor { input.silu() }
}

/// σ(x) = 1/(1+e⁻ˣ).
public final class Sigmoid: Module, Layer {
    /// Creates the layer (no parameters).
    public override init() { super.init() }
    /// Applies the layer to `input`.
    public func forward(_ input: Tensor) -> Tensor { input.sigmoid() }
}

/// tanh(x).
public final class Tanh: Module, Layer {
    /// Creates the layer (no parameters).
    public override init() { super.init() }
    /// Applies the layer to `input`.
    public func forward(_ input: Tensor) -> Tensor { input.tanh() }
}

/// Flattens all axes after the first: `[N, …] → [N, ∏…]`.
public final class Flatten: Module, Layer {
    /// Creates the layer (no parameters).
    public override init() { super.init() }
    /// Applies the layer to `input`.
    public func forward(_ input: Tensor) -> Tensor { input.flattened(from: 1) }
}
