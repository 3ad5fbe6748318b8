import ArgumentParser
import Foundation
import RawQuant

struct Experiment: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The headline experiment: train and evaluate every input representation × bits × seed; write RESULTS.md and plots. Resumable.")

    @Option(help: "Dataset directory (a `rawquant synth` output: needs dataset.json for exposures).")
    var data: String

    @Option(help: "Output directory (runs, RESULTS.md, plots).")
    var out: String = "experiment"

    @Option(help: "Bit widths, comma-separated.")
    var bits = NumberList<Int>([2, 3, 4, 6, 8])

    @Option(help: "Seeds, comma-separated.")
    var seeds = NumberList<UInt64>([1, 2, 3])

    @Option(help: "Only these row ids (e.g. float,isp,linear-4,gamma-per-channel-4); default: all.")
    var rows: NameList?

    @Option(help: "Epochs per run (the same for every row).")
    var epochs: Int = 12

    @OptionGroup var network: NetworkOptions

    @Option(help: "Random square crop in mosaic pixels (multiple of 16).")
    var crop: Int?

    @Option(help: "Real content: train on this dataset's train split (clean mosaics from `unprocess --no-noise`), validate and test on --data's.")
    var trainingData: String?

    @OptionGroup var augmentation: TrainingAugmentationOptions

    @Option(help: "Add a low-light column: the test images re-exposed at LOW,HIGH (e.g. 0.015625,0.0625 for 2^-6…2^-4) with fresh noise.")
    var lowLight: NumberList<Double>?

    @Flag(help: "Train nothing: write the report from the runs that have finished (the others are listed as not run yet).")
    var reportOnly = false

    @Option(help: "Also write each quantized row's validation-winning quantizer to DIR/ROW.safetensors.")
    var exportQuantizers: String?

    func validate() throws {
        guard !bits.values.isEmpty, bits.values.allSatisfy({ (1...8).contains($0) }) else {
            throw ValidationError("--bits must be comma-separated integers in 1...8, got \"\(bits)\"")
        }
        guard !seeds.values.isEmpty, seeds.values.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--seeds must be comma-separated positive integers, got \"\(seeds)\"")
        }
        try Limits.check(epochs, Limits.epochs, "epochs")
        try Limits.check(seeds.values.count, Limits.seeds, "seeds count")
        if let crop, !Limits.crop.contains(crop) || crop % 16 != 0 {
            throw ValidationError("--crop must be a multiple of 16 in 32...16384, got \(crop)")
        }
        try Limits.checkRange(lowLight, "low-light", 1e-4...16)
        let ids = plan.rows.map(\.id)
        if let unknown = rows?.names.first(where: { !ids.contains($0) }) {
            throw ValidationError("unknown row \"\(unknown)\"; rows are \(ids.joined(separator: ", "))")
        }
    }

    /// The plan the options describe.
    private var plan: ExperimentPlan {
        var plan = ExperimentPlan.standard(dataset: data, bits: bits.values, seeds: seeds.values, epochs: epochs,
                                           batchSize: network.batch, width: network.width, crop: crop)
        plan.gammaStart = network.gammaStart
        plan.codeStep = network.codeStep == .straightThrough ? nil : network.codeStep
        plan.maxMemoryBytes = network.maxMemory.map { _ in network.maxMemoryBytes }
        plan.trainingDataset = trainingData
        plan.deepStages = network.deepStages == 0 ? nil : network.deepStages
        plan.inputScale = network.inputScale == 1 ? nil : network.inputScale
        plan.residualBlocks = network.residualBlocks == 0 ? nil : network.residualBlocks
        plan.scaleRange = augmentation.scaleRange?.values
        plan.reexpose = augmentation.reexpose?.values
        plan.mosaic = augmentation.mosaic == 0 ? nil : augmentation.mosaic
        plan.isoRange = augmentation.isoRange?.values
        plan.gainJitter = augmentation.reexpose == nil ? nil : augmentation.gainJitter
        plan.lowLightExposure = lowLight?.values
        if augmentation.reexpose != nil || lowLight != nil { plan.noise = CameraProfile.canonEOS30D.noise }
        return plan
    }

    func run() throws {
        let selected = rows.map { Set($0.names) }
        let start = Date()
        let command = "rawquant " + CommandLine.arguments.dropFirst().filter { $0 != "--report-only" }.joined(separator: " ")
        let report = try Output.running {
            let results = try ExperimentRunner.run(plan, outputDirectory: out, rows: selected, trainMissing: !reportOnly) { print($0) }
            return try ExperimentOutputs.write(plan, results: results, outputDirectory: out, command: command,
                                               machine: ExperimentOutputs.machineDescription, rows: selected, exportQuantizers: exportQuantizers)
        }
        print(report)
        print(String(format: "this invocation: %.0f s; wrote %@/RESULTS.md and %@/map-vs-bits.svg", Date().timeIntervalSince(start), out, out))
    }
}
