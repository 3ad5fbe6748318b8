import Foundation
import ArgumentParser
import RawQuant

/// How `train` and `eval` read a dataset directory.
struct DatasetOptions: ParsableArguments {
    @Option(help: "Annotation format: auto (what the directory holds: Annotations/ → voc, instances_*.json → coco, labels/ → yolo), voc, coco, yolo or pascalraw (NEF + 600×400 VOC XML, or the RAM dng_instances_*.json split).")
    var format: DatasetFormatChoice = .auto

    @Option(help: "YOLO class-names file (one per line, or a data YAML's names:); default: one found near labels/.")
    var classNames: String?

    @Flag(help: "Leave out invalid items (boxes outside the image, unknown classes, missing raw files) and count them, instead of failing.")
    var skipInvalid = false

    /// The loader options for `classes` (nil = from the data), decoding the raws with `decode`.
    func loadOptions(classes: [String]?, decode: RawDecodeOptions) -> DatasetLoadOptions {
        DatasetLoadOptions(classes: classes, format: format.format, onInvalid: skipInvalid ? .skip : .fail, classNamesFile: classNames,
                           decode: decode)
    }
}

/// `--model`: a detector checkpoint, or the bundled one (detect, eval, bench detect).
struct DetectorModelOption: ParsableArguments {
    @Option(help: "A detector checkpoint, or a bundled model: shapes (the default: synthetic shapes) or photo (person, car, bicycle in real photos).")
    var model: String?

    /// The checkpoint's path: a file, else a bundled model's name.
    func path() throws -> String {
        guard let model else { return try BundledModel.shapes.path() }
        if !FileManager.default.fileExists(atPath: model), let bundled = BundledModel.named(model) { return try bundled.path() }
        return model
    }

    /// Loads the checkpoint, printing a one-line error (exit 1) on failure.
    func load() throws -> RawDetector {
        try Output.running { try RawDetector.load(from: path()).detector }
    }
}
