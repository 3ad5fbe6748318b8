import Foundation
import NN
import Quantization
import TensorCore

/// What a sensor-stream classifier was trained for and with: enough to rebuild it from its file.
public struct SensorStreamModelInfo: Sendable, Codable, Equatable {
    public var method: FeatureMethod
    public var bits: Int
    public var channelNames: [String]
    public var classLabels: [String]
    /// Steps per window.
    public var length: Int
    /// Output channels of the 1-D convolutions (the first at stride 1, the others at stride 2).
    public var widths: [Int]
    /// Taps of every convolution (odd).
    public var kernel: Int
    /// Dropout before the classifier.
    public var dropout: Float
    /// Per-channel statistics over every training sample (all steps of all training windows).
    public var scaler: FeatureScaler
    /// Samples per second of the stream, when known (for the bytes a device sends per second).
    public var sampleRate: Double?
    public var seed: UInt64

    /// Checks what a model file may have stored before a network is built from it.
    public func validate() throws {
        guard (1...8).contains(bits) else { throw QuantizationError("bits must be in 1...8, got \(bits)") }
        let c = channelNames.count
        guard (1...4096).contains(c) else { throw QuantizationError("\(c) channels; a stream model has 1...4096") }
        guard [scaler.mean, scaler.std, scaler.min, scaler.max].allSatisfy({ $0.count == c && $0.allSatisfy(\.isFinite) }) else {
            throw QuantizationError("the scaler must hold \(c) finite values per statistic")
        }
        guard (2...100_000).contains(classLabels.count) else { throw QuantizationError("classification needs 2...100000 class labels") }
        guard (1...1_000_000).contains(length) else { throw QuantizationError("window length \(length) outside 1...1000000") }
        guard (1...8).contains(widths.count), widths.allSatisfy({ (1...4096).contains($0) }) else {
            throw QuantizationError("convolution widths must be 1...8 layers of 1...4096 channels")
        }
        guard kernel % 2 == 1, (1...31).contains(kernel) else { throw QuantizationError("kernel must be odd, 1...31, got \(kernel)") }
        guard dropout >= 0 && dropout < 1 else { throw QuantizationError("dropout must be in [0, 1)") }
        if let sampleRate { guard sampleRate > 0 && sampleRate.isFinite else { throw QuantizationError("sample rate must be positive") } }
        let inputs = [c * method.valuesPerFeature(bits: bits)] + widths
        let weights = zip(inputs, widths).reduce(0.0) { $0 + Double($1.0) * Double($1.1) * Double(kernel) }
        guard weights <= Double(1 << 28) else { throw QuantizationError("a network of \(Int(weights)) weights is beyond 2^28") }
    }

    /// Bits one time step occupies on the wire: channels · N (32 per channel for full precision).
    public var bitsPerSample: Int { channelNames.count * method.payloadBits(bits: bits) }

    /// Bytes per second a device streaming at ``sampleRate`` sends (nil without a rate).
    public var bytesPerSecond: Double? { sampleRate.map { Double(bitsPerSample) * $0 / 8 } }
}

/// Per-channel input quantization (shared over time) followed by a 1-D CNN over the window:
/// windows `[B][C][T]` → samples `[B·T, C]` → quantizer → `[B·T, C·V]` → `[B, C·V, 1, T]` →
/// (Conv 1×k → BatchNorm → ReLU)* (stride 2 after the first) → global average → Dropout → Linear → `[B, classes]`.
public final class SensorStreamNetwork: Module {
    public let quantizer: FeatureQuantizerLayer
    public let body: Sequential
    public let head: Sequential
    private let valuesPerChannel: Int

    public init(info: SensorStreamModelInfo, trainingSamples rows: [[Double]]) {
        quantizer = FeatureQuantizerLayer(method: info.method, bits: info.bits, scaler: info.scaler, training: rows)
        valuesPerChannel = info.method.valuesPerFeature(bits: info.bits)
        var layers: [any Layer] = []
        var width = quantizer.outputWidth
        for (i, w) in info.widths.enumerated() {
            layers.append(Conv2d(inChannels: width, outChannels: w, kernelSize: (1, info.kernel), stride: (1, i == 0 ? 1 : 2),
                                 padding: (0, info.kernel / 2), bias: false, seed: info.seed &+ UInt64(2 * i)))
            layers.append(BatchNorm2d(w))
            layers.append(ReLU())
            width = w
        }
        layers.append(GlobalAvgPool2d())
        layers.append(Flatten())
        body = Sequential(layers)
        var headLayers: [any Layer] = []
        if info.dropout > 0 { headLayers.append(Dropout(p: info.dropout, seed: info.seed &+ 1000)) }
        headLayers.append(Linear(width, info.classLabels.count, seed: info.seed &+ 999))
        head = Sequential(headLayers)
        super.init()
    }

    /// The network on what the quantizer gives `[B·T, C·V]` for `batch` windows of `length` steps.
    public func classify(quantized: Tensor, batch: Int, length: Int) -> Tensor {
        let cv = quantized.shape[1]
        let planes = quantized.reshaped([batch, length, cv]).permuted([0, 2, 1]).reshaped([batch, cv, 1, length])
        return head(body(planes))
    }

    /// Training path: raw windows (cases × channels × steps) through the train face.
    public func forward(windows: [[[Double]]], length: Int) -> Tensor {
        let samples = SensorStreamDataset.sampleRows(windows)
        return classify(quantized: quantizer.forward(quantizer.prepare(samples)), batch: windows.count, length: length)
    }
}

/// A trained stream classifier: its description, network and (quantized methods) the per-sample codec a
/// device and a server share.
public final class SensorStreamModel {
    public let info: SensorStreamModelInfo
    public let network: SensorStreamNetwork
    public private(set) var codec: FeatureCodec?

    public init(info: SensorStreamModelInfo, network: SensorStreamNetwork) {
        self.info = info
        self.network = network
        codec = FeatureCodec(network.quantizer)
    }

    /// Rebuilds the codec from the current quantizer parameters (after training).
    public func refreshCodec() { codec = FeatureCodec(network.quantizer) }

    /// Logits `[B, classes]` for raw windows: quantized methods through the codec (encode → decode), exactly as
    /// a device and a server compute them; full precision through z-scores. Eval mode.
    public func outputs(windows: [[[Double]]]) -> Tensor {
        if let codec { return outputs(codes: codec.encode(SensorStreamDataset.sampleRows(windows))) }
        network.eval()
        let samples = SensorStreamDataset.sampleRows(windows)
        return withNoGrad { network.classify(quantized: network.quantizer.prepare(samples), batch: windows.count, length: info.length) }
    }

    /// Logits for sample-major codes (`[windows · length · channels]`, what ``FeatureCodec/encode(_:)`` gives).
    public func outputs(codes: [UInt8]) -> Tensor {
        guard let codec else { preconditionFailure("SensorStreamModel: a full-precision model has no codes") }
        let perWindow = info.length * info.channelNames.count
        precondition(codes.count % perWindow == 0, "SensorStreamModel: \(codes.count) codes is not a whole number of windows")
        network.eval()
        return withNoGrad { network.classify(quantized: codec.networkInput(codes: codes), batch: codes.count / perWindow, length: info.length) }
    }

    /// The predicted class index of each row of `logits`.
    public static func predictions(_ logits: Tensor) -> [Int] {
        let b = logits.shape[0], c = logits.shape[1], s = logits.scalars
        return (0..<b).map { i in
            var best = 0
            for k in 1..<c where s[i * c + k] > s[i * c + best] { best = k }
            return best
        }
    }
}
