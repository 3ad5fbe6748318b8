import Foundation
import NN
import TensorCore

/// What a feature model was trained for and with: enough to rebuild it from its file.
public struct FeatureModelInfo: Sendable, Codable, Equatable {
    public var method: FeatureMethod
    public var bits: Int
    public var task: TabularTask
    public var featureNames: [String]
    public var targetName: String
    /// Classification: the class labels (the output index order).
    public var classLabels: [String]
    /// Hidden layer widths of the MLP.
    public var hidden: [Int]
    public var dropout: Float
    public var scaler: FeatureScaler
    /// Regression: the training targets' mean and standard deviation (the network predicts z-scored targets).
    public var targetMean: Double
    public var targetStd: Double
    public var seed: UInt64

    /// Network outputs: 1 (regression) or the number of classes.
    public var outputs: Int { task == .regression ? 1 : classLabels.count }

    /// Compression of the input against 32-bit floats: 32/N (1 for full precision).
    public var compressionFactor: Double { 32 / Double(method.payloadBits(bits: bits)) }
}

/// Per-feature input quantization followed by a ReLU MLP with dropout:
/// x `[B, F]` → quantizer → `[B, F·V]` → (Linear → ReLU → Dropout)* → Linear → `[B, outputs]`.
public final class FeatureNetwork: Module {
    public let quantizer: FeatureQuantizerLayer
    public let mlp: Sequential

    public init(info: FeatureModelInfo, training rows: [[Double]]) {
        quantizer = FeatureQuantizerLayer(method: info.method, bits: info.bits, scaler: info.scaler, training: rows)
        var layers: [any Layer] = []
        var width = quantizer.outputWidth
        for (i, h) in info.hidden.enumerated() {
            layers.append(Linear(width, h, seed: info.seed &+ UInt64(2 * i)))
            layers.append(ReLU())
            if info.dropout > 0 { layers.append(Dropout(p: info.dropout, seed: info.seed &+ 1000 &+ UInt64(i))) }
            width = h
        }
        layers.append(Linear(width, info.outputs, seed: info.seed &+ 999))
        mlp = Sequential(layers)
        super.init()
    }

    /// Training path: raw rows through the train face.
    public func forward(rows: [[Double]]) -> Tensor { mlp(quantizer.forward(quantizer.prepare(rows))) }
}

/// A trained model: its description, network and (quantized methods) deploy codec.
public final class FeatureModel {
    public let info: FeatureModelInfo
    public let network: FeatureNetwork
    /// The codec the device and server share; nil for full precision.
    public private(set) var codec: FeatureCodec?

    public init(info: FeatureModelInfo, network: FeatureNetwork) {
        self.info = info
        self.network = network
        codec = FeatureCodec(network.quantizer)
    }

    /// Rebuilds the codec from the current quantizer parameters (after training).
    public func refreshCodec() { codec = FeatureCodec(network.quantizer) }

    /// Network outputs for raw rows, `[B, outputs]`: quantized methods go through the codec (encode →
    /// decode), exactly as a device and server would; full precision through z-scores.
    public func outputs(rows: [[Double]]) -> Tensor {
        if let codec { return outputs(codes: codec.encode(rows)) }
        network.eval()
        return withNoGrad { network.mlp(network.quantizer.prepare(rows)) }
    }

    /// Network outputs for row-major codes (the server side), `[B, outputs]`.
    public func outputs(codes: [UInt8]) -> Tensor {
        guard let codec else { preconditionFailure("FeatureModel: a full-precision model has no codes") }
        network.eval()
        return withNoGrad { network.mlp(codec.networkInput(codes: codes)) }
    }

    /// Predictions from network outputs: regression values in target units, or class indices.
    public func predictions(_ outputs: Tensor) -> [Double] {
        let b = outputs.shape[0], c = outputs.shape[1], s = outputs.scalars
        switch info.task {
        case .regression: return (0..<b).map { Double(s[$0 * c]) * info.targetStd + info.targetMean }
        case .classification:
            return (0..<b).map { i -> Double in
                var best = 0
                for k in 1..<c where s[i * c + k] > s[i * c + best] { best = k }
                return Double(best)
            }
        }
    }
}
