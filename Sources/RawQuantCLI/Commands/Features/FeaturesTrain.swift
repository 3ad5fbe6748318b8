import ArgumentParser
import Foundation
import RawQuant

struct FeaturesTrain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train",
        abstract: "Train a per-feature quantizer and an MLP jointly on a CSV table; report the test metric and compression.")

    @Option(help: "Table: CSV with a header row (or --no-header), or ARFF (.arff); every column but the target must be numeric (or --numeric-only).")
    var data: String

    @OptionGroup var training: FeatureTrainingArguments

    @Option(help: "Bits per feature value, 1...8.")
    var bits: Int = 4

    @Option(help: "Quantizer: bwsq, sq, minmax, quantile, lsq, gamma, or fp (32-bit float input).")
    var method: FeatureMethod = .bwsq

    @Option(help: "Seed of the split, the initialisation and the batches.")
    var seed: UInt64 = 1

    @Option(help: "k-fold cross-validation instead of one hold-out split (the saved model is fold 1's).")
    var folds: Int?

    @Option(help: "Write the trained model here (.safetensors).")
    var out: String?

    @Flag(help: "Report as JSON.")
    var json = false

    func validate() throws {
        guard (1...8).contains(bits) else { throw ValidationError("--bits must be in 1...8, got \(bits)") }
        if let folds { try Limits.check(folds, Limits.folds, "folds") }
        if folds != nil && training.groupColumn != nil { throw ValidationError("--group-column splits by hold-out only; leave out --folds") }
        if let out { try Output.refuseOverwriting(input: data, output: out) }
    }

    func run() throws {
        var options = training.options(method: method, bits: bits)
        options.seed = seed
        let dataset = try training.load(data, options: options, valuesPerFeature: method.valuesPerFeature(bits: bits))
        if let folds, folds > dataset.count { throw Output.usage("--folds \(folds) exceeds the \(dataset.count) rows of \(data)") }
        guard dataset.count >= 10 else { throw Output.failure("\(data): \(dataset.count) rows is too few to split (need at least 10)") }
        let (report, model) = FeatureJobs.train(dataset, path: data, options: options, testFraction: training.testFraction, folds: folds)
        if let out { try Output.running { try FeatureModelFile.write(model, to: out) } }
        if json {
            print(Output.json(report))
        } else {
            let metric = report.testMSE.map { String(format: "test MSE %.4f (standardised target), RMSE %.4g", $0, report.testRMSE ?? .nan) }
                ?? String(format: "test accuracy %.4f, macro-F1 %.4f", report.testAccuracy ?? .nan, report.testMacroF1 ?? .nan)
            print("\(data): \(report.task.rawValue) on \(report.features) features, \(method.rawValue) \(report.bits)-bit: \(metric)\(folds.map { " (mean of \($0) folds)" } ?? "")")
            print(String(format: "compression ×%.1f against 32-bit floats (%d bits per row), best epoch %d, %.1f s%@",
                         report.compressionFactor, report.payloadBitsPerRow, report.bestEpoch, report.trainingSeconds, out.map { ", model \($0)" } ?? ""))
        }
    }
}
