import TensorCore

/// Applies layers in order. Parameter names start with the layer index, as
/// in PyTorch (e.g. `"0.weight"`, `"1.running_mean"`).
public final class Sequential: Module, Layer {
    /// The layers, applied in order.
    public let layers: [any Layer]

    /// Creates the container.
    public init(_ layers: [any Layer]) {
        self.layers = layers
        super.init()
    }

    /// Members named by layer index (`"0"`, `"1"`, …).
    public override func namedMembers() -> [(String, Any)] {
        layers.enumerated().map { ("\($0.offset)", $0.element as Module) }
    }

    /// Applies the layers in order; a ``BatchNorm2d`` directly followed by a
    /// ``ReLU`` runs as one fused pass (same result and gradients).
    public func forward(_ input: Tensor) -> Tensor {
        var x = input
        var i = 0
        while i < layers.count {
            if let bn = layers[i] as? BatchNorm2d, i + 1 < layers.count, layers[i + 1] is ReLU {
                x = bn.forward(x, fusedReLU: true)
                i += 2
            } else {
                x = layers[i].forward(x)
                i += 1
            }
        }
        return x
    }
}
