import ArgumentParser
import RawQuant

/// How `train`, `eval` and `experiment` read a dataset directory.
struct DatasetOptions: ParsableArguments {
    @Option(help: "Annotation format: auto (what the directory holds), voc or coco.")
    var format: String = "auto"

    @Flag(help: "Leave out invalid items (boxes outside the image, unknown classes, missing raw files) and count them, instead of failing.")
    var skipInvalid = false

    /// The loader options for `classes` (nil = from the data).
    func loadOptions(classes: [String]?) throws -> DatasetLoadOptions {
        let chosen: DatasetFormat?
        switch format.lowercased() {
        case "auto": chosen = nil
        case "voc": chosen = .voc
        case "coco": chosen = .coco
        default: throw Output.usage("--format must be auto, voc or coco, got \"\(format)\"")
        }
        return DatasetLoadOptions(classes: classes, format: chosen, onInvalid: skipInvalid ? .skip : .fail)
    }
}
