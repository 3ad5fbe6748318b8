import DetectionData
import Foundation
import NN
import Quantization
import RawIO
import TensorCore
import TrainableQuantizers
import Bayer
import ISP
import Support

/// A raw-domain object detector: an input quantizer (the sensor's curve, learnable) followed by a
/// ``CenterNetDetector`` on the packed R, Gr, Gb, B planes.
public final class RawDetector: Module {
    public let quantizer: InputQuantizer
    public let network: CenterNetDetector
    public let quantizerDescription: QuantizerDescription
    /// ADC range (white − black) per plane during training, used by the log curve (inference takes each
    /// image's own ranges).
    public var layout: ChannelLayout
    public var decoding = DetectionDecoding()
    /// Inference through ``CenterNetInference`` (folded, channels-last; the default) rather than the module's own forward.
    public var usesFastInference = true

    public init(quantizer description: QuantizerDescription, classes: [String], baseChannels: Int = 16, deepStages: Int = 0,
                inputScale: Double = 1, residualBlocks: Int = 0, adcRange: Float = 4095 - 256, seed: UInt64) {
        quantizerDescription = description
        quantizer = description.makeQuantizer()
        let configuration = DetectorConfiguration(classes: classes, baseChannels: baseChannels, inputChannels: quantizer.outputChannels(inputChannels: 4),
                                                  deepStages: deepStages, inputScale: inputScale, residualBlocks: residualBlocks)
        network = CenterNetDetector(configuration: configuration, seed: seed)
        layout = .bayerPlanes(range: adcRange)
        super.init()
    }

    public var classes: [String] { network.configuration.classes }

    /// Quantizer then network on normalised planes `[B, 4, h, w]` (h, w multiples of 8).
    public func forward(planes: Tensor) -> CenterNetDetector.Output {
        network.forward(quantizer(planes, layout: layout))
    }

    /// The ISP baseline's description for a camera: its white balance (green = 1) and colour matrix.
    public static func ispDescription(for image: BayerImage) throws -> QuantizerDescription {
        let gains = WhiteBalance.gains(image.metadata)
        return try .isp(whiteBalance: [gains[0], gains[1], gains[2]], cameraToSRGB: ColorMatrix.cameraToSRGB(image.metadata))
    }

    /// The planes R, Gr, Gb, B of `image` with their colours and ADC ranges.
    public static func planeLayout(of image: BayerImage) -> ChannelLayout {
        .bayerPlanes(of: image)
    }

    /// The network's eval-mode maps for an input `[B, C, h, w]`: through its folded network
    /// (``CenterNetDetector/inference``) when ``usesFastInference``, else the module's forward.
    public func inferenceMaps(_ input: Tensor) -> CenterNetDetector.Output {
        eval()
        guard usesFastInference else { return withNoGrad { network.forward(input) } }
        return withNoGrad { network.inference.forward(input) }
    }

    /// The size of the mosaic the network sees for one of `width × height`: resampled by the input scale, even sides.
    public func seenSize(width: Int, height: Int) -> (width: Int, height: Int) {
        let scale = network.configuration.scale
        guard scale != 1 else { return (width, height) }
        return (max(2, Int((Double(width) * scale / 2).rounded()) * 2), max(2, Int((Double(height) * scale / 2).rounded()) * 2))
    }

    /// The network's view of a mosaic (eval mode, no gradients): the mosaic it sees (resampled by the input scale),
    /// the network input `[1, C, h, w]` (the quantizer's output on the zero-padded planes) and the three maps.
    public func maps(_ image: BayerImage) -> (seen: BayerImage, input: Tensor, output: CenterNetDetector.Output) {
        eval()
        let size = seenSize(width: image.width, height: image.height)
        let seen = size == (image.width, image.height) ? image : image.resampled(width: size.width, height: size.height)
        let (planes, _, _) = RawDetector.paddedPlanes(seen, multiple: network.configuration.planeMultiple)
        let input = withNoGrad { quantizer(planes, layout: RawDetector.planeLayout(of: seen)) }
        return (seen, input, inferenceMaps(input))
    }

    /// Detects objects in a mosaic (eval mode, no gradients); boxes in mosaic pixels, VOC convention.
    public func detect(_ image: BayerImage, name: String) -> [DetectedObject] {
        let (seen, _, output) = maps(image)
        return detections(output, seen: seen, image: image, name: name)
    }

    /// The boxes of ``maps(_:)``'s output for `image` (which the network saw as `seen`), scaled back to `image`.
    public func detections(_ output: CenterNetDetector.Output, seen: BayerImage, image: BayerImage, name: String) -> [DetectedObject] {
        let found = decoding.decode(output, batchIndex: 0, classes: classes, image: name, mosaicWidth: seen.width, mosaicHeight: seen.height)
        guard seen.width != image.width || seen.height != image.height else { return found }
        let sx = Double(image.width) / Double(seen.width), sy = Double(image.height) / Double(seen.height)
        return found.map { DetectedObject(image: $0.image, className: $0.className, score: $0.score, box: $0.box.scaled(x: sx, y: sy)) }
    }

    /// Detects objects in the codes a sensor sent (server side): the network input is rebuilt from each
    /// code through the quantizer's network decoder — no raw values needed. Equals `detect(_:name:)` on
    /// the raw mosaic the codes came from, when they were made with this detector's deploy face.
    public func detect(codes mosaic: PackedMosaic, name: String) throws -> [DetectedObject] {
        let spec = try quantizer.deploySpec()
        guard network.configuration.scale == 1 else {
            throw FileError(path: name, message: "this detector sees mosaics at scale \(network.configuration.scale): run it on the raw mosaic, not on codes")
        }
        guard mosaic.quantizer == spec else {
            throw FileError(path: name, message: "codes were made by \(mosaic.quantizer.summary), the detector expects \(spec.summary)")
        }
        let cfa = mosaic.cfa
        eval()
        let codes = mosaic.codes()
        let colorIndices = cfa.colors.map(\.rawValue)
        let channels = (0..<4).map { p in
            ChannelQuantizer(spec: spec, colorIndex: colorIndices[p], black: mosaic.blackLevels[p], white: mosaic.whiteLevel, adcBits: mosaic.adcBits)
        }
        let tables = channels.map(\.networkValues)
        let values = quantizer.valuesPerChannel
        let w = mosaic.width / 2, h = mosaic.height / 2
        let m = network.configuration.planeMultiple
        let pw = (w + m - 1) / m * m, ph = (h + m - 1) / m * m
        var input = [Float](repeating: 0, count: 4 * values * ph * pw)
        // Padding gets the code of x̂ = 0, as the quantizer would give the zero-padded planes.
        for (plane, p) in PlanePacking.sourcePositions(cfa).enumerated() {
            let zero = tables[p][Int(channels[p].encoder[0])]
            for y in 0..<ph {
                for x in 0..<pw {
                    let value = y < h && x < w ? tables[p][Int(codes[(2 * y + (p >> 1)) * mosaic.width + 2 * x + (p & 1)])] : zero
                    for v in 0..<values { input[((plane * values + v) * ph + y) * pw + x] = value[v] }
                }
            }
        }
        let output = inferenceMaps(Tensor(shape: [1, 4 * values, ph, pw], scalars: input))
        return decoding.decode(output, batchIndex: 0, classes: classes, image: name, mosaicWidth: mosaic.width, mosaicHeight: mosaic.height)
    }

    /// The packed planes of `image` as `[1, 4, h, w]`, zero-padded on the right and bottom to multiples of `multiple`.
    public static func paddedPlanes(_ image: BayerImage, multiple: Int = 8) -> (Tensor, Int, Int) {
        let w = image.width / 2, h = image.height / 2
        let pw = (w + multiple - 1) / multiple * multiple, ph = (h + multiple - 1) / multiple * multiple
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
        let json = try CanonicalJSON.string(info)
        var tensors = extra
        for (name, tensor) in stateDict() { tensors[name] = tensor }
        try SafeTensors.save(tensors, metadata: ["format": RawDetector.checkpointFormat, "version": "1", "detector": json], to: path)
    }

    /// Loads a checkpoint; returns the detector, the checkpoint facts and any extra tensors (optimizer state).
    public static func load(from path: String) throws -> (detector: RawDetector, info: CheckpointInfo, extra: [String: Tensor]) {
        guard FileManager.default.fileExists(atPath: path) else { throw FileError(path: path, message: "no such file") }
        let file: SafeTensors.File
        do {
            file = try SafeTensors.load(from: path)
        } catch {
            throw FileError(path: path, message: "not a RawQuant detector checkpoint (\(error))")
        }
        return try load(file, path: path)
    }

    /// Builds a detector from a checkpoint's decoded tensors and metadata (`path` names it in errors), after
    /// checking its configuration and weights.
    public static func load(_ file: SafeTensors.File, path: String) throws -> (detector: RawDetector, info: CheckpointInfo, extra: [String: Tensor]) {
        guard file.metadata["format"] == checkpointFormat, let json = file.metadata["detector"] else {
            throw FileError(path: path, message: "not a RawQuant detector checkpoint")
        }
        let info: CheckpointInfo
        do {
            info = try JSONDecoder().decode(CheckpointInfo.self, from: Data(json.utf8))
        } catch {
            throw FileError(path: path, message: "malformed detector configuration in the metadata")
        }
        try validate(info, tensors: file.tensors, path: path)
        let detector = RawDetector(quantizer: info.quantizer, classes: info.configuration.classes, baseChannels: info.configuration.baseChannels,
                                   deepStages: info.configuration.deep, inputScale: info.configuration.scale,
                                   residualBlocks: info.configuration.residual, seed: 0)
        detector.layout = ChannelLayout(colors: [0, 1, 1, 2], ranges: info.adcRanges)
        let own = Set(detector.stateDict().keys)
        do {
            try detector.loadStateDict(file.tensors.filter { own.contains($0.key) }, strict: true)
        } catch {
            throw FileError(path: path, message: "weights do not fit the configuration: \(error)")
        }
        let extra = file.tensors.filter { !own.contains($0.key) }
        if let unknown = extra.keys.sorted().first(where: { !$0.hasPrefix("optimizer.") }) {
            throw FileError(path: path, message: "unknown tensor \(Untrusted.quote(unknown)) (\(extra.count) tensors besides the weights)")
        }
        return (detector, info, extra)
    }

    /// Checks a checkpoint's configuration before anything is built: ranges, classes, quantizer, ADC ranges,
    /// and that the file holds at least the scalars the described network stores (so a small file cannot
    /// claim a network that needs gigabytes).
    static func validate(_ info: CheckpointInfo, tensors: [String: Tensor], path: String) throws {
        do {
            try info.configuration.validate()
            try info.quantizer.validate()
        } catch {
            throw FileError(path: path, message: "invalid detector configuration: \(error)")
        }
        let channels = info.quantizer.name.networkChannels(bits: info.quantizer.bits)
        guard info.configuration.inputChannels == channels else {
            throw FileError(path: path, message: "invalid detector configuration: \(info.configuration.inputChannels) input channels, "
                            + "\(info.quantizer.name.rawValue) at \(info.quantizer.bits) bits gives \(channels)")
        }
        guard info.adcRanges.count == 4, info.adcRanges.allSatisfy({ $0.isFinite && $0 >= 1 && $0 <= 65535 }) else {
            throw FileError(path: path, message: "invalid detector configuration: adcRanges must be 4 values in 1...65535")
        }
        guard info.epoch >= 0 else { throw FileError(path: path, message: "invalid detector configuration: epoch \(info.epoch)") }
        let stored = tensors.values.reduce(0) { $0 + $1.scalars.count }
        guard let needed = info.configuration.storedScalarCount, stored >= needed else {
            throw FileError(path: path, message: "weights do not fit the configuration: the file holds \(stored) values, "
                            + "a \(info.configuration.baseChannels)-channel network needs \(info.configuration.storedScalarCount.map(String.init) ?? "too many")")
        }
    }
}
