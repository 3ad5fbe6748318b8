import Evaluation
import Foundation
import NN
import Quantization
import RawIO
import Sensor
import TensorCore
import TrainableQuantizers

/// A raw-domain object detector: an input quantizer (the sensor's curve, learnable) followed by a
/// ``CenterNetDetector`` on the packed R, Gr, Gb, B planes.
public final class RawDetector: Module {
    public let quantizer: InputQuantizer
    public let network: CenterNetDetector
    public let quantizerDescription: QuantizerDescription
    /// ADC range (white − black) per plane, used by the log curve.
    public var layout: ChannelLayout
    public var decoding = DetectionDecoding()

    public init(quantizer description: QuantizerDescription, classes: [String], baseChannels: Int = 16,
                adcRange: Float = 4095 - 256, seed: UInt64) {
        quantizerDescription = description
        quantizer = description.makeQuantizer()
        let configuration = DetectorConfiguration(classes: classes, baseChannels: baseChannels, inputChannels: 4 * quantizer.valuesPerChannel)
        network = CenterNetDetector(configuration: configuration, seed: seed)
        layout = .bayerPlanes(range: adcRange)
        super.init()
    }

    public var classes: [String] { network.configuration.classes }

    /// Quantizer then network on normalised planes `[B, 4, h, w]` (h, w multiples of 8).
    public func forward(planes: Tensor) -> CenterNetDetector.Output {
        network.forward(quantizer(planes, layout: layout))
    }

    /// Detects objects in a mosaic (eval mode, no gradients); boxes in mosaic pixels, VOC convention.
    public func detect(_ image: BayerImage, name: String) -> [DetectedObject] {
        eval()
        let (planes, _, _) = RawDetector.paddedPlanes(image)
        let output = withNoGrad { forward(planes: planes) }
        return decoding.decode(output, batchIndex: 0, classes: classes, image: name, mosaicWidth: image.width, mosaicHeight: image.height)
    }

    /// The packed planes of `image` as `[1, 4, h, w]`, zero-padded on the right and bottom to multiples of 8.
    public static func paddedPlanes(_ image: BayerImage) -> (Tensor, Int, Int) {
        let w = image.width / 2, h = image.height / 2
        let pw = (w + 7) / 8 * 8, ph = (h + 7) / 8 * 8
        let planes = PlanePacking.pack(image)
        guard pw != w || ph != h else { return (Tensor(shape: [1, 4, h, w], scalars: planes), w, h) }
        var padded = [Float](repeating: 0, count: 4 * ph * pw)
        for c in 0..<4 {
            for y in 0..<h {
                for x in 0..<w { padded[(c * ph + y) * pw + x] = planes[(c * h + y) * w + x] }
            }
        }
        return (Tensor(shape: [1, 4, ph, pw], scalars: padded), w, h)
    }

    // MARK: - Checkpoints

    public static let checkpointFormat = "rawquant-detector"

    /// What a checkpoint's metadata records besides the weights.
    public struct CheckpointInfo: Codable, Sendable {
        public var configuration: DetectorConfiguration
        public var quantizer: QuantizerDescription
        public var adcRanges: [Float]
        /// Training progress (epochs completed) when saved.
        public var epoch: Int
        /// Free-form training facts (data, options).
        public var notes: [String: String]
    }

    /// Saves weights (`network.*`, `quantizer.*`, BatchNorm statistics included) and configuration atomically.
    public func save(to path: String, epoch: Int = 0, notes: [String: String] = [:], extra: [String: Tensor] = [:]) throws {
        let info = CheckpointInfo(configuration: network.configuration, quantizer: quantizerDescription, adcRanges: layout.ranges,
                                  epoch: epoch, notes: notes)
        let json = String(decoding: try JSONEncoder().encode(info), as: UTF8.self)
        var tensors = extra
        for (name, tensor) in stateDict() { tensors[name] = tensor }
        try SafeTensors.save(tensors, metadata: ["format": RawDetector.checkpointFormat, "version": "1", "detector": json], to: path)
    }

    /// Loads a checkpoint; returns the detector, the checkpoint facts and any extra tensors (optimizer state).
    public static func load(from path: String) throws -> (detector: RawDetector, info: CheckpointInfo, extra: [String: Tensor]) {
        let file = try SafeTensors.load(from: path)
        guard file.metadata["format"] == checkpointFormat, let json = file.metadata["detector"] else {
            throw DetectorCheckpointError(path: path, message: "not a RawQuant detector checkpoint")
        }
        let info: CheckpointInfo
        do {
            info = try JSONDecoder().decode(CheckpointInfo.self, from: Data(json.utf8))
        } catch {
            throw DetectorCheckpointError(path: path, message: "malformed detector configuration in the metadata")
        }
        let detector = RawDetector(quantizer: info.quantizer, classes: info.configuration.classes, baseChannels: info.configuration.baseChannels,
                                   seed: 0)
        detector.layout = ChannelLayout(colors: [0, 1, 1, 2], ranges: info.adcRanges)
        let own = Set(detector.stateDict().keys)
        do {
            try detector.loadStateDict(file.tensors.filter { own.contains($0.key) }, strict: true)
        } catch {
            throw DetectorCheckpointError(path: path, message: "weights do not fit the configuration: \(error)")
        }
        return (detector, info, file.tensors.filter { !own.contains($0.key) })
    }
}

/// A checkpoint that cannot be used; the description names the file.
public struct DetectorCheckpointError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}
