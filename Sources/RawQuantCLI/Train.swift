import ArgumentParser
import Foundation
import RawQuant

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a raw detector and its input quantizer jointly on a VOC/PASCALRAW or COCO dataset of raw files.")

    @Option(help: "Dataset directory (raw files + Annotations/ and ImageSets/Main/, or instances_*.json).")
    var data: String

    @OptionGroup var datasetOptions: DatasetOptions

    @Option(help: "Quantizer: \(QuantizerDescription.names.joined(separator: ", ")).")
    var quantizer: String = "gamma-per-channel"

    @Option(help: "Bits, 1...8.")
    var bits: Int = 4

    @Option(help: "γ: the fixed value for 'gamma', the start for learnable γ (one value or R,G,B).")
    var gamma: String?

    @Option(help: "How learnable γ starts: given (--gamma, default 1.0) or median (the median training pixel maps to the middle code).")
    var gammaStart: GammaStart = .given

    @Option(help: "Epochs.")
    var epochs: Int = 20

    @Option(help: "Batch size.")
    var batch: Int = 16

    @Option(help: "Network learning rate (AdamW).")
    var lr: Float = 2e-3

    @Option(help: "Quantizer learning rate.")
    var quantizerLr: Float = 1e-2

    @Option(help: "Network width: channels of the first stage.")
    var width: Int = 16

    @Option(help: "Random crop WIDTHxHEIGHT in mosaic pixels (multiples of 16); default: whole images.")
    var crop: String?

    @Option(help: "Training split name.")
    var trainSplit: String = "train"

    @Option(help: "Validation split name ('none' to skip).")
    var valSplit: String = "val"

    @Option(help: "Class names in label order (default: from the data).")
    var classes: String?

    @Option(help: "Seed for initialisation, shuffling and augmentation.")
    var seed: UInt64 = 1

    @Option(help: "Output directory (checkpoints, quantizer, training.csv).")
    var out: String = "run"

    @Flag(help: "Start afresh even if the output directory holds a checkpoint.")
    var noResume = false

    func run() throws {
        guard (1...8).contains(bits) else { throw Output.usage("--bits must be in 1...8, got \(bits)") }
        guard epochs >= 1, batch >= 1, width >= 4, lr > 0, quantizerLr >= 0 else {
            throw Output.usage("--epochs, --batch ≥ 1, --width ≥ 4 and positive learning rates are required")
        }
        var options = TrainingOptions(outputDirectory: out)
        if let crop {
            let sides = crop.lowercased().split(separator: "x").compactMap { Int($0) }
            guard sides.count == 2, sides.allSatisfy({ $0 >= 32 && $0 % 16 == 0 }) else {
                throw Output.usage("--crop must be WIDTHxHEIGHT with multiples of 16 of at least 32, got \"\(crop)\"")
            }
            options.cropWidth = sides[0]
            options.cropHeight = sides[1]
        }
        let description: QuantizerDescription
        do {
            let gammas = try gamma.map { text -> [Float] in
                guard let values: [Float] = Output.numbers(text) else { throw QuantizerDescriptionError("--gamma must be numbers, got \"\(text)\"") }
                return values
            }
            description = try QuantizerDescription(name: quantizer, bits: bits, gammas: gammas)
        } catch {
            throw Output.usage("\(error)")
        }
        options.epochs = epochs
        options.batchSize = batch
        options.learningRate = lr
        options.quantizerLearningRate = quantizerLr
        options.seed = seed
        options.resume = !noResume
        options.gammaStart = gammaStart
        do {
            let loadOptions = try datasetOptions.loadOptions(classes: classes.map { $0.split(separator: ",").map(String.init) })
            let training = try DatasetLoader.load(directory: data, split: trainSplit, options: loadOptions)
            guard !training.images.isEmpty else { throw Output.failure("\(data): the \(trainSplit) split has no images") }
            let classList = loadOptions.classes ?? training.classes
            let validation = valSplit == "none" ? nil
                : try DatasetLoader.load(directory: data, split: valSplit, options: try datasetOptions.loadOptions(classes: classList))
            let first = try RawDecoder.decode(path: training.images[0].rawPath)
            let input = description.name == "isp" ? try RawDetector.ispDescription(for: first) : description
            let detector = RawDetector(quantizer: input, classes: classList, baseChannels: width, seed: seed)
            detector.layout = RawDetector.planeLayout(of: first)
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

/// A one-line progress bar on stderr: redrawn in place on a terminal, a line per tenth of an epoch otherwise.
final class ProgressBar {
    private let interactive = isatty(STDERR_FILENO) != 0
    private var lastLogged = (epoch: 0, tenth: -1)

    func update(_ p: TrainingProgress) {
        let fraction = Double(p.batch) / Double(max(p.batches, 1))
        let filled = Int(fraction * 24)
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: 24 - filled)
        let eta = Int(p.remainingSeconds)
        let line = String(format: "epoch %d/%d [%@] %3d%% loss %.4f %.1f img/s ETA %02d:%02d:%02d", p.epoch, p.epochs, bar,
                          Int(fraction * 100), p.loss, p.imagesPerSecond, eta / 3600, eta / 60 % 60, eta % 60)
        if interactive {
            FileHandle.standardError.write(Data(("\r" + line).utf8))
        } else {
            let tenth = Int(fraction * 10)
            if (p.epoch, tenth) != lastLogged && (tenth != lastLogged.tenth || p.epoch != lastLogged.epoch) {
                lastLogged = (p.epoch, tenth)
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
        }
    }

    func finish() { if interactive { FileHandle.standardError.write(Data("\n".utf8)) } }
}
