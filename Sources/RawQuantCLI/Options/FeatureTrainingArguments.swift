import ArgumentParser
import Foundation
import RawQuant

/// Network and training settings shared by `features train` and `features table`.
struct FeatureTrainingArguments: ParsableArguments {
    @Option(help: "Target column: numbers → regression, text labels → classification (or set --task).")
    var target: String

    @Option(help: "Task: regression or classification (default: from the target column).")
    var task: TabularTask?

    @Option(help: "Epochs.")
    var epochs: Int = 60

    @Option(help: "Hidden layer widths, comma-separated.")
    var hidden = NumberList<Int>([128, 128])

    @Option(help: "Dropout probability after each hidden layer.")
    var dropout: Float = 0.1

    @Option(help: "Batch size.")
    var batch: Int = 128

    @Option(help: "Adam learning rate of the network.")
    var lr: Float = 1e-3

    @Option(help: "Learning-rate schedule: constant, or cosine (annealed over the run to 1 % of --lr).")
    var schedule: FeatureLRSchedule = .constant

    @Option(help: "SQ and Bw-SQ's sigmoid temperature START,END on the feature's unit range, exponential over the epochs.")
    var temperature = NumberList<Double>([0.1, 1e-4])

    @Option(help: "Adam learning rate of the quantizer (default: 1e-2 for γ and LSQ's relative step, 1e-3 for thresholds).")
    var quantizerLr: Float?

    @Option(help: "AdamW weight decay of the MLP.")
    var weightDecay: Float = 0

    @Option(help: "Fraction of rows held out for testing.")
    var testFraction: Double = 0.2

    @Flag(help: "The CSV has no header row: its columns are named 1, 2, … by position (e.g. --target 12).")
    var noHeader = false

    @Flag(help: "Keep numeric feature columns only: leave out columns holding text (categorical ones), as the feature paper does.")
    var numericOnly = false

    @Flag(help: "Leave out rows with a missing value (empty, or ? in ARFF) in the target or a kept feature; the report counts them.")
    var dropMissing = false

    @Option(help: "Columns to leave out, comma-separated (identifiers such as a row id or a subject number).")
    var drop: NameList?

    @Option(help: "A column naming each row's group (e.g. the subject): not a feature; every split keeps each group whole on one side.")
    var groupColumn: String?

    /// How the table is read.
    var tableOptions: TableLoadOptions {
        TableLoadOptions(header: !noHeader, numericOnly: numericOnly, dropMissingRows: dropMissing, groupColumn: groupColumn)
    }

    func validate() throws {
        try Limits.check(epochs, Limits.epochs, "epochs")
        try Limits.check(batch, Limits.featureBatch, "batch")
        guard Limits.hiddenLayers.contains(hidden.values.count), hidden.values.allSatisfy({ Limits.hiddenWidth.contains($0) }) else {
            throw ValidationError("--hidden must be 1...16 comma-separated widths in 1...65536, got \"\(hidden)\"")
        }
        guard dropout >= 0 && dropout < 1 else { throw ValidationError("--dropout must be in [0, 1), got \(dropout)") }
        guard temperature.values.count == 2, temperature.values.allSatisfy({ $0 >= 1e-4 && $0 <= 100 }), temperature.values[1] <= temperature.values[0] else {
            throw ValidationError("--temperature must be START,END with 1e-4 ≤ END ≤ START ≤ 100, got \"\(temperature)\"")
        }
        if let quantizerLr { guard quantizerLr > 0 && quantizerLr.isFinite else { throw ValidationError("--quantizer-lr must be positive, got \(quantizerLr)") } }
        guard weightDecay >= 0 && weightDecay < 1 else { throw ValidationError("--weight-decay must be in [0, 1), got \(weightDecay)") }
        guard lr > 0 && lr.isFinite else { throw ValidationError("--lr must be positive, got \(lr)") }
        if let maxMemory, !(maxMemory > 0 && maxMemory <= 1_048_576) { throw ValidationError("--max-memory must be in (0, 1048576] GiB, got \(maxMemory)") }
        guard testFraction > 0 && testFraction < 1 else { throw ValidationError("--test-fraction must be in (0, 1), got \(testFraction)") }
    }

    /// The training options for `method` at `bits`.
    func options(method: FeatureMethod, bits: Int) -> FeatureTrainingOptions {
        var options = FeatureTrainingOptions(method: method, bits: bits)
        options.epochs = epochs
        options.hidden = hidden.values
        options.dropout = dropout
        options.batchSize = batch
        options.learningRate = lr
        options.schedule = schedule
        options.weightDecay = weightDecay
        options.temperatureStart = Float(temperature.values[0])
        options.temperatureEnd = Float(temperature.values[1])
        options.quantizerLearningRate = quantizerLr
        return options
    }

    @Option(help: "Refuse a run whose estimated memory exceeds this many GiB (default: three quarters of the machine's).")
    var maxMemory: Double?

    /// Loads the table at `path` with this target and task, and checks that training on it with `options`
    /// fits the memory limit for the widest input the runs give each feature, `valuesPerFeature` (Bw-SQ:
    /// 2^N − 1) (exit 1 with the file's error on failure).
    func load(_ path: String, options: FeatureTrainingOptions, valuesPerFeature: Int) throws -> TabularDataset {
        let dataset = try Output.running { try FeatureJobs.load(path: path, target: target, task: task, drop: drop?.names ?? [], options: tableOptions) }
        if !dataset.droppedColumns.isEmpty || dataset.droppedRows > 0 {
            var parts: [String] = []
            if !dataset.droppedColumns.isEmpty { parts.append("left out non-numeric columns \(dataset.droppedColumns.joined(separator: ", "))") }
            if dataset.droppedRows > 0 { parts.append("left out \(dataset.droppedRows) rows with missing values") }
            FileHandle.standardError.write(Data("\(path): \(parts.joined(separator: "; "))\n".utf8))
        }
        let limit = maxMemory.map { Int($0 * 1_073_741_824) } ?? MemoryBudget.defaultLimit
        let needed = options.estimatedTrainingBytes(features: dataset.featureNames.count, valuesPerFeature: valuesPerFeature)
        try Output.running {
            try MemoryBudget.check(needed, limit: limit, path: path, what: "training an MLP of widths \(options.hidden) on \(dataset.featureNames.count) features",
                                   advice: "lower --hidden or --batch, or raise --max-memory")
        }
        return dataset
    }
}
