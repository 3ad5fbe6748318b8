import ArgumentParser
import Foundation
import RawQuant

/// Files, network and training settings shared by `features stream-train` and `features stream-table`.
struct StreamTrainingArguments: ParsableArguments {
    @Option(help: "Training windows: a sktime/UEA .ts file with class labels (e.g. BasicMotions_TRAIN.ts).")
    var train: String

    @Option(help: "Test windows: the set's own test file (.ts), scored once.")
    var test: String

    @Option(help: "Output channels of the 1-D convolutions, comma-separated (the first at stride 1, the others at stride 2).")
    var widths = NumberList<Int>([32, 64, 64])

    @Option(help: "Taps of every convolution (odd).")
    var kernel: Int = 5

    @Option(help: "Dropout before the classifier.")
    var dropout: Float = 0.2

    @Option(help: "Epochs (cosine schedule over all steps; the last epoch is kept).")
    var epochs: Int = 150

    @Option(help: "Windows per batch.")
    var batch: Int = 8

    @Option(help: "AdamW learning rate of the network.")
    var lr: Float = 3e-3

    @Option(help: "AdamW weight decay of the network.")
    var weightDecay: Float = 1e-4

    @Option(help: "Random circular shift of each training window, up to this fraction of its length (0: none).")
    var shift: Double = 0.5

    @Option(help: "Samples per second of the stream, for the bytes per second a device sends (BasicMotions: 10).")
    var sampleRate: Double?

    func validate() throws {
        try Limits.check(epochs, Limits.epochs, "epochs")
        try Limits.check(batch, Limits.featureBatch, "batch")
        guard (1...8).contains(widths.values.count), widths.values.allSatisfy({ (1...4096).contains($0) }) else {
            throw ValidationError("--widths must be 1...8 comma-separated channel counts in 1...4096, got \"\(widths)\"")
        }
        guard kernel % 2 == 1, (1...31).contains(kernel) else { throw ValidationError("--kernel must be odd, 1...31, got \(kernel)") }
        guard dropout >= 0 && dropout < 1 else { throw ValidationError("--dropout must be in [0, 1), got \(dropout)") }
        guard lr > 0 && lr.isFinite else { throw ValidationError("--lr must be positive, got \(lr)") }
        guard weightDecay >= 0 && weightDecay < 1 else { throw ValidationError("--weight-decay must be in [0, 1), got \(weightDecay)") }
        guard shift >= 0 && shift <= 1 else { throw ValidationError("--shift must be in [0, 1], got \(shift)") }
        if let sampleRate { guard sampleRate > 0 && sampleRate.isFinite && sampleRate <= 1e9 else { throw ValidationError("--sample-rate must be in (0, 1e9], got \(sampleRate)") } }
        guard train != test else { throw ValidationError("--train and --test name the same file") }
    }

    /// The training options for `method` at `bits`.
    func options(method: FeatureMethod, bits: Int) -> SensorStreamTrainingOptions {
        var options = SensorStreamTrainingOptions(method: method, bits: bits)
        options.widths = widths.values
        options.kernel = kernel
        options.dropout = dropout
        options.epochs = epochs
        options.batchSize = batch
        options.learningRate = lr
        options.weightDecay = weightDecay
        options.shiftFraction = shift
        options.sampleRate = sampleRate
        return options
    }

    /// The training and test windows (the test file's classes in the training file's order); exit 1 with the file's error.
    func load() throws -> (train: SensorStreamDataset, test: SensorStreamDataset) {
        try Output.running {
            let training = try SensorStreamDataset.load(path: train)
            let testing = try SensorStreamDataset.load(path: test, classLabels: training.classLabels)
            guard testing.channels == training.channels, testing.length == training.length else {
                throw FileError(path: test, "has \(testing.channels) channels × \(testing.length) steps, \(train) \(training.channels) × \(training.length)")
            }
            return (training, testing)
        }
    }
}
