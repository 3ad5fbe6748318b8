import TensorCore

/// Applies layers in order. Parameter names start with the layer index, as
/// in PyTorch (e.g. `"0.weight"`, `"1.runningMean"`).
public final class Sequential: Module, Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) {
        self.layers = layers
        super.init()
    }

    public override func namedMembers() -> [(String, Any)] {
        layers.enumerated().map { ("\($0.offset)", $0.element as Module) }
    }

    public func forward(_ input: Tensor) -> Tensor {
        layers.reduce(input) { $1.forward($0) }
    }
}
