import Foundation
import Quantization
import NN
import TensorCore
import TrainableQuantizers

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

    /// Checks what a model file may have stored before a network is built from it: bits 1…8, 1…100,000
    /// features with a scaler of as many finite values, hidden widths 1…65,536 (at most 16 layers), a
    /// network of at most 2³⁰ weights, dropout in [0, 1), 2…100,000 class labels for classification.
    public func validate() throws {
        guard (1...8).contains(bits) else { throw QuantizationError("bits must be in 1...8, got \(bits)") }
        let f = featureNames.count
        guard (1...100_000).contains(f) else { throw QuantizationError("\(f) features; a model has 1...100000") }
        guard [scaler.mean, scaler.std, scaler.min, scaler.max].allSatisfy({ $0.count == f && $0.allSatisfy(\.isFinite) }) else {
            throw QuantizationError("the scaler must hold \(f) finite values per statistic")
        }
        guard (1...16).contains(hidden.count), hidden.allSatisfy({ (1...65_536).contains($0) }) else {
            throw QuantizationError("hidden widths must be 1...16 layers of 1...65536")
        }
        guard dropout >= 0 && dropout < 1, targetMean.isFinite, targetStd.isFinite else { throw QuantizationError("invalid dropout or target statistics") }
        if task == .classification {
            guard (2...100_000).contains(classLabels.count) else { throw QuantizationError("classification needs 2...100000 class labels") }
        }
        let widths = [f * method.valuesPerFeature(bits: bits)] + hidden + [outputs]
        let weights = zip(widths, widths.dropFirst()).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        guard weights <= Double(1 << 30) else { throw QuantizationError("a network of \(Int(weights)) weights is beyond 2^30") }
    }

    /// Compression of the input against 32-bit floats: 32/N (1 for full precision).
    public var compressionFactor: Double { 32 / Double(method.payloadBits(bits: bits)) }
}

/// Per-feature input quantization followed by a ReLU MLP with dropout:
/// x `[B, F]` → quantizer → `[B, F·V]` → (Linear → ReLU → Dropout)* → Linear → `[B, outputs]`.
public final class FeatureNetwork: Module {
    public let quantizer: FeatureQuantizerLayer
    public let mlp: Sequential

    /// - Parameter schedule: SQ and Bw-SQ's temperature over training (not stored: a loaded model is deployed hard).
    public init(info: FeatureModelInfo, training rows: [[Double]], schedule: TemperatureSchedule = FeatureQuantizerLayer.defaultSchedule) {
        quantizer = FeatureQuantizerLayer(method: info.method, bits: info.bits, scaler: info.scaler, training: rows, schedule: schedule)
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
