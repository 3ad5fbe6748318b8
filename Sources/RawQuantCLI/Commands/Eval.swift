import ArgumentParser
import Foundation
import RawQuant

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Evaluate a raw detector on a dataset split: VOC AP@0.5 per class and mAP, COCO AP@[.5:.95].")

    @OptionGroup var model: DetectorModelOption

    @Option(help: "Dataset directory.")
    var data: String

    @Option(help: "Split to evaluate.")
    var split: String = "test"

    @OptionGroup var datasetOptions: DatasetOptions

    @OptionGroup var rawInput: RawInputOptions

    @Flag(help: "Print one JSON object with mAP50, mAP, ap50PerClass, apPerClass and ap50PerSize (small, medium, large: COCO's box-area ranges).")
    var json = false

    func run() throws {
        let detector = try model.load()
        do {
            let dataset = try DatasetLoader.load(directory: data, split: split, options: datasetOptions.loadOptions(classes: detector.classes, decode: rawInput.decodeOptions))
            let (result, _) = try DetectorEvaluation.run(detector, on: dataset)
            if json {
                print(Output.json(result))
            } else {
                print("\(data) [\(split)]: \(dataset.images.count) images")
                for name in detector.classes {
                    print(String(format: "  AP@0.5 %-10@ %@", name as NSString, (result.ap50PerClass[name]!.map { String(format: "%.4f", $0) } ?? "n/a") as NSString))
                }
                if let bySize = result.ap50PerSize {
                    for name in detector.classes {
                        let values = ObjectSize.allCases.map { size in bySize[size.rawValue]?[name].flatMap { $0 }.map { String(format: "%.4f", $0) } ?? "n/a" }
                        print(String(format: "  AP@0.5 %-10@ small %@  medium %@  large %@", name as NSString, values[0] as NSString,
                                     values[1] as NSString, values[2] as NSString))
                    }
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
