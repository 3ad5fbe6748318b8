import ArgumentParser
import Foundation
import RawQuant

/// `rawquant features …`: input feature compression for tables and sensor streams.
struct Features: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compress each numeric input feature to N bits with a learned quantizer (tables, sensor streams).",
        subcommands: [FeaturesTrain.self, FeaturesEncode.self, FeaturesDecode.self, FeaturesPredict.self, FeaturesTable.self, FeaturesSynth.self])

    static func method(_ text: String) throws -> FeatureMethod {
        guard let method = FeatureMethod(rawValue: text.lowercased()) else {
            throw Output.usage("--method must be one of \(FeatureMethod.allCases.map(\.rawValue).joined(separator: ", ")); got \"\(text)\"")
        }
        return method
    }

    static func task(_ text: String?) throws -> TabularTask? {
        guard let text else { return nil }
        guard let task = TabularTask(rawValue: text.lowercased()) else { throw Output.usage("--task must be regression or classification, got \"\(text)\"") }
        return task
    }

    /// Runs `body`, turning library errors into a one-line message and exit 1.
    static func running<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw Output.failure(error)
        }
    }
}

/// Network and training settings shared by `train` and `table`.
struct FeatureTrainingArguments: ParsableArguments {
    @Option(help: "Target column: numbers → regression, text labels → classification (or set --task).")
    var target: String

    @Option(help: "Task: regression or classification (default: from the target column).")
    var task: String?

    @Option(help: "Epochs.")
    var epochs: Int = 60

    @Option(help: "Hidden layer widths, comma-separated.")
    var hidden: String = "128,128"

    @Option(help: "Dropout probability after each hidden layer.")
    var dropout: Float = 0.1

    @Option(help: "Batch size.")
    var batch: Int = 128

    @Option(help: "Adam learning rate of the network.")
    var lr: Float = 1e-3

    @Option(help: "Fraction of rows held out for testing.")
    var testFraction: Double = 0.2

    func options(method: FeatureMethod, bits: Int) throws -> FeatureTrainingOptions {
        guard epochs >= 1, batch >= 1 else { throw Output.usage("--epochs and --batch must be at least 1") }
        guard let widths: [Int] = Output.numbers(hidden), widths.allSatisfy({ $0 >= 1 }) else {
            throw Output.usage("--hidden must be comma-separated positive integers, got \"\(hidden)\"")
        }
        guard dropout >= 0 && dropout < 1 else { throw Output.usage("--dropout must be in [0, 1), got \(dropout)") }
        guard lr > 0 && lr.isFinite else { throw Output.usage("--lr must be positive, got \(lr)") }
        guard testFraction > 0 && testFraction < 1 else { throw Output.usage("--test-fraction must be in (0, 1), got \(testFraction)") }
        var options = FeatureTrainingOptions(method: method, bits: bits)
        options.epochs = epochs
        options.hidden = widths
        options.dropout = dropout
        options.batchSize = batch
        options.learningRate = lr
        return options
    }
}

struct FeaturesTrain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train",
        abstract: "Train a per-feature quantizer and an MLP jointly on a CSV table; report the test metric and compression.")

    @Option(help: "CSV table with a header row; every column but the target must be numeric.")
    var data: String

    @OptionGroup var training: FeatureTrainingArguments

    @Option(help: "Bits per feature value, 1...8.")
    var bits: Int = 4

    @Option(help: "Quantizer: bwsq, sq, minmax, quantile, lsq, gamma, or fp (32-bit float input).")
    var method: String = "bwsq"

    @Option(help: "Seed of the split, the initialisation and the batches.")
    var seed: UInt64 = 1

    @Option(help: "k-fold cross-validation instead of one hold-out split (the saved model is fold 1's).")
    var folds: Int?

    @Option(help: "Write the trained model here (.safetensors).")
    var out: String?

    @Flag(help: "Report as JSON.")
    var json = false

    func run() throws {
        guard (1...8).contains(bits) else { throw Output.usage("--bits must be in 1...8, got \(bits)") }
        if let folds, folds < 2 { throw Output.usage("--folds must be at least 2, got \(folds)") }
        let method = try Features.method(self.method)
        var options = try training.options(method: method, bits: bits)
        options.seed = seed
        let task = try Features.task(training.task)
        let dataset = try Features.running { try FeatureJobs.load(path: data, target: training.target, task: task) }
        if let folds, folds > dataset.count { throw Output.usage("--folds \(folds) exceeds the \(dataset.count) rows of \(data)") }
        guard dataset.count >= 10 else { throw Output.failure("\(data): \(dataset.count) rows is too few to split (need at least 10)") }
        let (report, model) = FeatureJobs.train(dataset, path: data, options: options, testFraction: training.testFraction, folds: folds)
        if let out { try Features.running { try FeatureModelFile.write(model, to: out) } }
        if json {
            print(Output.json(report))
        } else {
            let metric = report.testMSE.map { String(format: "test MSE %.4f (standardised target), RMSE %.4g", $0, report.testRMSE ?? .nan) }
                ?? String(format: "test accuracy %.4f", report.testAccuracy ?? .nan)
            print("\(data): \(report.task.rawValue) on \(report.features) features, \(method.rawValue) \(report.bits)-bit: \(metric)\(folds.map { " (mean of \($0) folds)" } ?? "")")
            print(String(format: "compression ×%.1f against 32-bit floats (%d bits per row), best epoch %d, %.1f s%@",
                         report.compressionFactor, report.payloadBitsPerRow, report.bestEpoch, report.trainingSeconds, out.map { ", model \($0)" } ?? ""))
        }
    }
}

struct FeaturesEncode: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "encode",
        abstract: "Device side: encode a CSV's feature columns into N-bit codes (.rqf) with a trained model's quantizer.")

    @Option(help: "Trained model (.safetensors from `features train --out`).")
    var model: String

    @Flag(help: "Report as JSON.")
    var json = false

    @Argument(help: "CSV with the model's feature columns (other columns are ignored).")
    var input: String

    @Argument(help: "Output .rqf file.")
    var output: String

    func run() throws {
        let report = try Features.running { try FeatureJobs.encode(modelPath: model, csvPath: input, outputPath: output) }
        if json {
            print(Output.json(report))
        } else {
            print(String(format: "%@: %d rows × %d features at %d bits = %d payload bytes (%d in the file; %d as 32-bit floats, ×%.1f)",
                         output, report.rows, report.features, report.bits, report.payloadBytes, report.fileBytes, report.float32Bytes,
                         Double(report.float32Bytes) / Double(max(report.payloadBytes, 1))))
        }
    }
}

struct FeaturesDecode: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decode",
        abstract: "Server side: decode an .rqf file into a CSV of each code's representative feature value.")

    @Option(help: "The model that encoded the file.")
    var model: String

    @Argument(help: "Input .rqf file.")
    var input: String

    @Argument(help: "Output CSV.")
    var output: String

    func run() throws {
        let rows = try Features.running { try FeatureJobs.decode(modelPath: model, rqfPath: input, outputPath: output) }
        print("\(output): \(rows) rows")
    }
}

struct FeaturesPredict: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "predict",
        abstract: "Server side: predict from an .rqf file (codes) or a CSV (encoded on the way); scores when the CSV has the target.")

    @Option(help: "Trained model.")
    var model: String

    @Option(help: "Write predictions here (CSV, one column).")
    var out: String?

    @Flag(help: "Report as JSON.")
    var json = false

    @Argument(help: "Input: an .rqf file or a CSV.")
    var input: String

    func run() throws {
        let (predictions, scores) = try Features.running { try FeatureJobs.predict(modelPath: model, inputPath: input, outputPath: out) }
        struct Report: Encodable { var rows: Int; var scores: FeatureScores?; var predictions: [String]? }
        if json {
            print(Output.json(Report(rows: predictions.count, scores: scores, predictions: out == nil ? predictions : nil)))
        } else {
            if out == nil { predictions.forEach { print($0) } }
            if let scores {
                let text = scores.mse.map { String(format: "MSE %.4f (standardised), RMSE %.4g", $0, scores.rmse ?? .nan) }
                    ?? String(format: "accuracy %.4f", scores.accuracy ?? .nan)
                FileHandle.standardError.write(Data("\(input): \(predictions.count) rows, \(text)\n".utf8))
            }
        }
    }
}

struct FeaturesTable: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "table",
        abstract: "Benchmark methods × bits on a table, repeated on seeded splits: mean ± 95 % interval (Markdown and JSON).")

    @Option(help: "CSV table.")
    var data: String

    @OptionGroup var training: FeatureTrainingArguments

    @Option(help: "Methods, comma-separated.")
    var methods: String = "fp,minmax,quantile,lsq,gamma,sq,bwsq"

    @Option(help: "Bit widths, comma-separated.")
    var bits: String = "2,3,4,5,6,7,8"

    @Option(help: "Repeats (seeds 1…R) per cell.")
    var repeats: Int = 5

    @Option(help: "Write the Markdown table here (and the cells as JSON beside it, .json).")
    var out: String?

    @Flag(help: "Keep the other methods' cells from --out's JSON and replace only the methods run now.")
    var update = false

    func run() throws {
        let methodList = try methods.split(separator: ",").map { try Features.method(String($0)) }
        guard let bitList: [Int] = Output.numbers(bits), bitList.allSatisfy({ (1...8).contains($0) }) else {
            throw Output.usage("--bits must be comma-separated integers in 1...8, got \"\(bits)\"")
        }
        guard repeats >= 2 else { throw Output.usage("--repeats must be at least 2 for an interval, got \(repeats)") }
        let options = try training.options(method: .fp, bits: 4)
        let dataset = try Features.running { try FeatureJobs.load(path: data, target: training.target, task: try Features.task(training.task)) }
        let started = Date()
        var cells = FeatureBenchmark.run(dataset, methods: methodList, bits: bitList, repeats: repeats, options: options,
                                         testFraction: training.testFraction) { print($0) }
        if update {
            guard let out else { throw Output.usage("--update needs --out") }
            let json = (out as NSString).deletingPathExtension + ".json"
            guard let data = FileManager.default.contents(atPath: json),
                  let existing = try? JSONDecoder().decode([FeatureBenchmark.Cell].self, from: data) else {
                throw Output.failure("\(json): cannot read the table's cells to update")
            }
            cells = FeatureBenchmark.merge(existing, cells)
        }
        let command = "rawquant " + CommandLine.arguments.dropFirst().joined(separator: " ")
        let markdown = "Table `\(data)` (\(dataset.count) rows, \(dataset.featureNames.count) features, \(dataset.task.rawValue)); "
            + "command: `\(command)`; \(String(format: "%.0f", Date().timeIntervalSince(started))) s on \(ProcessInfo.processInfo.activeProcessorCount) cores"
            + (update ? " (cells of the other methods kept from the table's earlier run).\n\n" : ".\n\n")
            + FeatureBenchmark.markdown(cells, task: dataset.task, bits: bitList)
        print(markdown)
        if let out {
            try Features.running {
                try CSVWriter.write(markdown, to: out)
                try CSVWriter.write(Output.json(cells) + "\n", to: (out as NSString).deletingPathExtension + ".json")
            }
        }
    }
}

struct FeaturesSynth: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "synth",
        abstract: "Write a generated benchmark table: friedman1/2/3, hastie, lognormal, or motion (3-axis accelerometer windows).")

    @Option(help: "Generator: \((TableGenerator.allCases.map(\.rawValue) + ["motion"]).joined(separator: ", ")).")
    var kind: String

    @Option(help: "Rows (windows for motion).")
    var rows: Int

    @Option(help: "Seed: the same seed gives the same bytes.")
    var seed: UInt64 = 1

    @Option(help: "Samples per motion window (50 Hz).")
    var samples: Int = 64

    @Option(help: "Output CSV.")
    var out: String

    func run() throws {
        guard rows >= 1 else { throw Output.usage("--rows must be at least 1") }
        let text: String
        if kind == "motion" {
            guard samples >= 2 else { throw Output.usage("--samples must be at least 2") }
            let table = MotionWindows.table(windows: rows, samples: samples, seed: seed)
            text = CSVWriter.text(columns: table.columns, rows: table.rows)
        } else {
            guard let generator = TableGenerator(rawValue: kind) else {
                throw Output.usage("--kind must be one of \((TableGenerator.allCases.map(\.rawValue) + ["motion"]).joined(separator: ", ")); got \"\(kind)\"")
            }
            let table = generator.rows(count: rows, seed: seed)
            text = CSVWriter.text(columns: table.columns, numbers: table.rows)
        }
        try Features.running { try CSVWriter.write(text, to: out) }
        print("\(out): \(rows) rows")
    }
}
