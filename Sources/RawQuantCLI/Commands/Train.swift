import ArgumentParser
import Foundation
import RawQuant

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a raw detector and its input quantizer jointly on a VOC/PASCALRAW or COCO dataset of raw files.")

    @Option(help: "Dataset directory (raw files + Annotations/ and ImageSets/Main/, or instances_*.json).")
    var data: String

    @OptionGroup var datasetOptions: DatasetOptions

    @OptionGroup var rawInput: RawInputOptions

    @Option(help: "Quantizer: \(InputRepresentation.names).")
    var quantizer: InputRepresentation = .gammaPerColor

    @Option(help: "Bits, 1...8.")
    var bits: Int = 4

    @Option(help: "γ: the fixed value for 'gamma', the start for learnable γ (one value or R,G,B).")
    var gamma: NumberList<Float>?

    @Option(help: "Evaluate on the validation split every this many epochs (and after the last); best.safetensors is chosen among those.")
    var evalEvery: Int = 1

    @Option(help: "Epochs.")
    var epochs: Int = 20

    @OptionGroup var network: NetworkOptions

    @Option(help: "Network learning rate (AdamW).")
    var lr: Float = 2e-3

    @Option(help: "Quantizer learning rate.")
    var quantizerLr: Float = 1e-2

    @Option(help: "Random crop WIDTHxHEIGHT in mosaic pixels (multiples of 16); default: whole images.")
    var crop: Size?

    @OptionGroup var augmentation: TrainingAugmentationOptions

    @Option(help: "Training split name.")
    var trainSplit: String = "train"

    @Option(help: "Dataset directory of the validation split (default: --data), e.g. noisy renderings of clean training data.")
    var valData: String?

    @Option(help: "Validation split name ('none' to skip).")
    var valSplit: String = "val"

    @Option(help: "Class names in label order (default: from the data).")
    var classes: NameList?

    @Option(help: "Seed for initialisation, shuffling and augmentation.")
    var seed: UInt64 = 1

    @Option(help: "Output directory (checkpoints, quantizer, training.csv).")
    var out: String = "run"

    @Flag(help: "Start afresh even if the output directory holds a checkpoint.")
    var noResume = false

    func validate() throws {
        guard (1...8).contains(bits) else { throw ValidationError("--bits must be in 1...8, got \(bits)") }
        try Limits.check(epochs, Limits.epochs, "epochs")
        guard lr > 0 && lr.isFinite, quantizerLr >= 0 && quantizerLr.isFinite else {
            throw ValidationError("--lr must be positive and --quantizer-lr non-negative, both finite")
        }
        if let crop, ![crop.width, crop.height].allSatisfy({ Limits.crop.contains($0) && $0 % 16 == 0 }) {
            throw ValidationError("--crop must be WIDTHxHEIGHT with multiples of 16 in 32...16384, got \"\(crop)\"")
        }
        try Limits.check(evalEvery, 1...100_000, "eval-every")
        if augmentation.mosaic > 0, crop == nil { throw ValidationError("--mosaic needs --crop (the mosaic's size)") }
        if let names = classes?.names, Set(names).count != names.count || names.isEmpty || names.contains("") || names.count > 1000 {
            throw ValidationError("--classes must be 1...1000 distinct non-empty names, got \"\(classes!)\"")
        }
        _ = try description()
    }

    /// The quantizer description the options name.
    private func description() throws -> QuantizerDescription {
        do {
            return try QuantizerDescription(quantizer, bits: bits, gammas: gamma?.values)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() throws {
        var options = TrainingOptions(outputDirectory: out)
        options.cropWidth = crop?.width
        options.cropHeight = crop?.height
        if let r = augmentation.scaleRange?.values { options.scaleRange = r[0]...r[1] }
        options.photometric = augmentation.photometric
        options.mosaicProbability = augmentation.mosaic
        options.epochs = epochs
        options.batchSize = network.batch
        options.learningRate = lr
        options.quantizerLearningRate = quantizerLr
        options.seed = seed
        options.resume = !noResume
        options.evaluateEvery = evalEvery
        options.gammaStart = network.gammaStart
        options.codeStep = network.codeStep
        options.maxMemoryBytes = network.maxMemoryBytes
        let description = try description()
        do {
            let loadOptions = datasetOptions.loadOptions(classes: classes?.names, decode: rawInput.decodeOptions)
            let training = try DatasetLoader.load(directory: data, split: trainSplit, options: loadOptions)
            guard !training.images.isEmpty else { throw Output.failure("\(data): the \(trainSplit) split has no images") }
            let classList = loadOptions.classes ?? training.classes
            let validation = valSplit == "none" ? nil
                : try DatasetLoader.load(directory: valData ?? data, split: valSplit, options: datasetOptions.loadOptions(classes: classList, decode: rawInput.decodeOptions))
            let first = try RawDecoder.decode(path: training.images[0].rawPath, options: training.decode)
            let detector = try RawDetector.forTraining(description, classes: classList, baseChannels: network.width, deepStages: network.deepStages,
                                                       inputScale: network.inputScale, residualBlocks: network.residualBlocks,
                                                       seed: seed, firstImage: first)
            let trainer = DetectorTrainer(detector: detector, training: training, validation: validation, options: options)
            let bar = ProgressBar()
            let records = try trainer.run { bar.update($0) }
            bar.finish()
            for record in records {
                let map = record.validationMAP50.map { String(format: "%.4f", $0) } ?? "-"
                print(String(format: "epoch %d: loss %.4f, val mAP50 %@, %.1f img/s, %@", record.epoch, record.loss, map, record.imagesPerSecond, record.quantizer))
            }
            print("wrote \(out)/checkpoint.safetensors, \(out)/training.csv")
        } catch {
            throw Output.failure(error)
        }
    }
}
