import ArgumentParser
import Foundation
import RawQuant

/// One detection as `detect --json` prints it (COCO-style result with the file name).
struct DetectionJSON: Codable {
    var file: String
    var `class`: String
    var score: Double
    /// [xmin, ymin, xmax, ymax], mosaic pixels, VOC convention (1-based, inclusive).
    var box: [Double]
}

struct Detect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Detect objects in raw files with a trained raw detector.")

    @OptionGroup var model: DetectorModelOption

    @Option(help: "Report detections with at least this score.")
    var scoreThreshold: Double = 0.3

    @Flag(help: "Print a JSON array of {file, class, score, box}.")
    var json = false

    @Option(help: "Write NAME.detections.jpg previews with the boxes drawn into this directory.")
    var preview: String?

    @Option(help: "Write NAME.maps.safetensors into this directory: the network input, its heatmap logits, sizes and offsets (F32, NCHW) and, for a model at input scale 1, the sensor's codes — e.g. to compare another framework's forward pass.")
    var maps: String?

    @OptionGroup var rawInput: RawInputOptions

    @Argument(help: "Raw files.")
    var files: [String]

    func validate() throws {
        guard (0...1).contains(scoreThreshold) else { throw ValidationError("--score-threshold must be in 0...1, got \(scoreThreshold)") }
    }

    func run() throws {
        let detector = try model.load()
        rawInput.warnAboutGuesses(files)
        var results: [DetectionJSON] = []
        var failed = false
        for file in files {
            do {
                let image = try RawDecoder.decode(path: file, options: rawInput.decodeOptions)
                try detector.checkMemory(for: image, path: file)
                let (seen, input, output) = detector.maps(image)
                let found = detector.detections(output, seen: seen, image: image, name: file).filter { $0.score >= scoreThreshold }
                results += found.map { DetectionJSON(file: file, class: $0.className, score: $0.score, box: [$0.box.xmin, $0.box.ymin, $0.box.xmax, $0.box.ymax]) }
                if let maps {
                    try AtomicOutput.prepareDirectory(maps)
                    let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent + ".maps.safetensors"
                    var tensors = ["input": input, "heatmap_logits": output.heatmapLogits, "size": output.size, "offset": output.offset]
                    // The codes the sensor sends under the detector's deploy face (at input scale 1), `[1, 1, H, W]` as F32.
                    if detector.network.configuration.scale == 1, let spec = try? detector.quantizer.deploySpec() {
                        let codes = try SensorSimulator.simulate(image, spec: spec).mosaic.codes()
                        tensors["codes"] = Tensor(shape: [1, 1, image.height, image.width], scalars: codes.map(Float.init))
                    }
                    try SafeTensors.save(tensors,
                                         metadata: ["format": "rawquant-detector-maps", "source": URL(fileURLWithPath: file).lastPathComponent],
                                         to: URL(fileURLWithPath: maps).appendingPathComponent(name).path)
                }
                if let preview {
                    try AtomicOutput.prepareDirectory(preview)
                    let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent + ".detections.jpg"
                    try DetectionPreview.write(image, detections: found, classes: detector.classes,
                                               to: URL(fileURLWithPath: preview).appendingPathComponent(name).path)
                }
                if !json {
                    print("\(file): \(found.count) detections")
                    for d in found {
                        print(String(format: "  %@ %.3f [%.1f, %.1f, %.1f, %.1f]", d.className, d.score, d.box.xmin, d.box.ymin, d.box.xmax, d.box.ymax))
                    }
                }
            } catch {
                Output.error("\(error)")
                failed = true
            }
        }
        if json { print(Output.json(results)) }
        if failed { throw ExitCode.failure }
    }
}
