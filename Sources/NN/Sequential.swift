import TensorCore

/// Applies layers in order. Parameter names use the layer index, as in
/// PyTorch (`"0.weight"`, `"1.running_mean"` style paths, e.g. `"0.weight"`).
public final class Sequential: Module, Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) {
        self.layers = layers
        super.init()
    }

    public override func namedChildren() -> [(String, Module)] {
        layers.enumerated().map { ("\($0.offset)", $0.element) }
    }

    public func forward(_ input: Tensor) -> Tensor {
        layers.reduce(input) { $1.forward($0) }
    }
}
