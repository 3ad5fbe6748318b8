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

/// Loads `--model` or the bundled model, printing a one-line error on failure.
func loadDetector(_ model: String?) throws -> RawDetector {
    do {
        return try RawDetector.load(from: model ?? BundledModel.path()).detector
    } catch {
        throw Output.failure(error)
    }
}

struct Detect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Detect objects in raw files with a trained raw detector.")

    @Option(help: "A detector checkpoint (default: the bundled 4-bit model).")
    var model: String?

    @Option(help: "Report detections with at least this score.")
    var scoreThreshold: Double = 0.3

    @Flag(help: "Print a JSON array of {file, class, score, box}.")
    var json = false

    @Option(help: "Write NAME.detections.jpg previews with the boxes drawn into this directory.")
    var preview: String?

    @Argument(help: "Raw files.")
    var files: [String]

    func run() throws {
        guard (0...1).contains(scoreThreshold) else {
            throw Output.usage("--score-threshold must be in 0...1, got \(scoreThreshold)")
        }
        let detector = try loadDetector(model)
        var results: [DetectionJSON] = []
        var failed = false
        for file in files {
            do {
                let image = try RawDecoder.decode(path: file)
                let found = detector.detect(image, name: file).filter { $0.score >= scoreThreshold }
                results += found.map { DetectionJSON(file: file, class: $0.className, score: $0.score, box: [$0.box.xmin, $0.box.ymin, $0.box.xmax, $0.box.ymax]) }
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

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Evaluate a raw detector on a dataset split: VOC AP@0.5 per class and mAP, COCO AP@[.5:.95].")

    @Option(help: "A detector checkpoint (default: the bundled 4-bit model).")
    var model: String?

    @Option(help: "Dataset directory.")
    var data: String

    @Option(help: "Split to evaluate.")
    var split: String = "test"

    @OptionGroup var datasetOptions: DatasetOptions

    @Flag(help: "Print one JSON object with mAP50, mAP and ap50PerClass.")
    var json = false

    func run() throws {
        let detector = try loadDetector(model)
        do {
            let dataset = try DatasetLoader.load(directory: data, split: split, options: try datasetOptions.loadOptions(classes: detector.classes))
            let (result, _) = try DetectionEvaluation.run(detector, on: dataset)
            if json {
                print(Output.json(result))
            } else {
                print("\(data) [\(split)]: \(dataset.images.count) images")
                for name in detector.classes {
                    print(String(format: "  AP@0.5 %-10@ %@", name as NSString, (result.ap50PerClass[name]!.map { String(format: "%.4f", $0) } ?? "n/a") as NSString))
                }
                print("  mAP@0.5       " + (result.mAP50.map { String(format: "%.4f", $0) } ?? "n/a"))
                print("  AP@[.5:.95]   " + (result.mAP.map { String(format: "%.4f", $0) } ?? "n/a"))
                for (reason, count) in dataset.skipped.sorted(by: { $0.key < $1.key }) { print("  skipped \(count): \(reason)") }
            }
        } catch {
            throw Output.failure(error)
        }
    }
}
