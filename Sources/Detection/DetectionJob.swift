import Bayer
import DetectionData
import Foundation
import RawIO
import SensorSimulation
import Support
import TensorCore

/// One detection as `detect --json` and `NAME.detections.json` hold it (a COCO-style result with the file name).
public struct DetectionRecord: Codable, Sendable, Equatable {
    public var file: String
    public var `class`: String
    public var score: Double
    /// [xmin, ymin, xmax, ymax], mosaic pixels, VOC convention (1-based, inclusive).
    public var box: [Double]

    public init(file: String, detection d: DetectedObject) {
        self.file = file
        self.class = d.className
        score = d.score
        box = [d.box.xmin, d.box.ymin, d.box.xmax, d.box.ymax]
    }
}

/// Where `detect` writes each input's files, and what it keeps.
public struct DetectionJobOptions: Sendable {
    /// Report detections with at least this score.
    public var scoreThreshold = 0.3
    /// `NAME.detections.json` per input (nil: none; the caller prints the detections).
    public var outputDirectory: String?
    /// `NAME.detections.jpg` previews with the boxes drawn (nil: none).
    public var previewDirectory: String?
    /// `NAME.maps.safetensors`: network input, heatmap logits, sizes, offsets and (input scale 1) the codes (nil: none).
    public var mapsDirectory: String?
    public var decode = RawDecodeOptions()

    public init() {}
}

/// `detect` on one raw file: decode, detect, and write its outputs — the maps and the preview first, each
/// atomically, then `NAME.detections.json` last, so an input whose detections file exists has every output
/// complete (what `--skip-existing` of a batch run checks; a killed run leaves no partial file).
public enum DetectionJob {
    /// NAME of an input: its file name without the extension.
    static func stem(_ input: String) -> String { URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent }

    /// The files `run` writes for `input` under `options`: output kind ("detections", "preview", "maps") → path.
    public static func expectedOutputs(for input: String, options: DetectionJobOptions) -> [String: String] {
        var outputs: [String: String] = [:]
        let name = stem(input)
        func path(_ directory: String, _ suffix: String) -> String { URL(fileURLWithPath: directory).appendingPathComponent(name + suffix).path }
        if let maps = options.mapsDirectory { outputs["maps"] = path(maps, ".maps.safetensors") }
        if let preview = options.previewDirectory { outputs["preview"] = path(preview, ".detections.jpg") }
        if let out = options.outputDirectory { outputs["detections"] = path(out, ".detections.json") }
        return outputs
    }

    /// Whether `input`'s outputs are complete: there is an output directory, and every expected output exists as
    /// a regular file (each is written atomically, the detections file last).
    public static func outputsAreComplete(for input: String, options: DetectionJobOptions) -> Bool {
        guard options.outputDirectory != nil else { return false }
        return expectedOutputs(for: input, options: options).values.allSatisfy { BatchSelection.regularFileSize($0) != nil }
    }

    /// Detects objects in `input` with `detector` and writes its outputs; returns the detections kept.
    public static func run(_ detector: RawDetector, input: String, options: DetectionJobOptions) throws -> [DetectionRecord] {
        let image = try RawDecoder.decode(path: input, options: options.decode)
        try detector.checkMemory(for: image, path: input)
        let (seen, networkInput, output) = detector.maps(image)
        let found = detector.detections(output, seen: seen, image: image, name: input).filter { $0.score >= options.scoreThreshold }
        let outputs = expectedOutputs(for: input, options: options)
        if let path = outputs["maps"] {
            try AtomicOutput.prepareDirectory(options.mapsDirectory!)
            var tensors = ["input": networkInput, "heatmap_logits": output.heatmapLogits, "size": output.size, "offset": output.offset]
            // The codes the sensor sends under the detector's deploy face (at input scale 1), `[1, 1, H, W]` as F32.
            if detector.network.configuration.scale == 1, let spec = try? detector.quantizer.deploySpec() {
                let codes = try SensorSimulator.simulate(image, spec: spec).mosaic.codes()
                tensors["codes"] = Tensor(shape: [1, 1, image.height, image.width], scalars: codes.map(Float.init))
            }
            try SafeTensors.save(tensors, metadata: ["format": "rawquant-detector-maps", "source": URL(fileURLWithPath: input).lastPathComponent], to: path)
        }
        if let path = outputs["preview"] {
            try AtomicOutput.prepareDirectory(options.previewDirectory!)
            try DetectionPreview.write(image, detections: found, classes: detector.classes, to: path)
        }
        let records = found.map { DetectionRecord(file: input, detection: $0) }
        if let path = outputs["detections"] {
            try AtomicOutput.prepareDirectory(options.outputDirectory!)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try AtomicOutput.write(Array(try encoder.encode(records)) + [10], to: path)
        }
        return records
    }
}
