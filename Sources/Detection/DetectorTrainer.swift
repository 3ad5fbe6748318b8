import DetectionData
import Foundation
import NN
import Quantization
import Support
import RawIO
import TensorCore
import TrainableQuantizers

/// How a learnable curve starts: `.given` — learnable γ at its own value (e.g. 1.0 or `--gamma`), learned log,
/// γ-log and monotone curves at the fixed log of the ADC range; `.median` — the median rule, the curve maps the
/// median training pixel to the middle code (γ = ln ½ / ln m; log D = (1 − 2m)/m²). (Named for γ, its first user.)
public enum GammaStart: String, Sendable, Codable, CaseIterable {
    case given, median
}

/// Settings of joint detector + quantizer training.
public struct TrainingOptions: Sendable {
    public var epochs = 20
    public var batchSize = 16
    /// Adam learning rate of the network (after warm-up; cosine decay to 5 % over the run).
    public var learningRate: Float = 2e-3
    /// Adam learning rate of the quantizer's parameters (γ wants its own).
    public var quantizerLearningRate: Float = 1e-2
    public var weightDecay: Float = 1e-4
    public var warmupSteps = 100
    /// Gradient norm clip.
    public var maxGradientNorm: Float = 10
    public var horizontalFlipProbability = 0.5
    public var verticalFlipProbability = 0.0
    /// Crop size in mosaic pixels (multiples of 16), nil = whole images (which must then share one size).
    public var cropWidth: Int?
    public var cropHeight: Int?
    /// Random scale before the crop (``AugmentationOptions/scaleRange``); nil = none.
    public var scaleRange: ClosedRange<Double>?
    /// Re-exposure, colour gains and fresh noise every epoch (``PhotometricAugmentation``); nil = none.
    public var photometric: PhotometricAugmentation?
    /// Probability of a four-image mosaic sample (``AugmentationOptions/mosaic(_:random:)``; needs a crop); 0 = never.
    public var mosaicProbability = 0.0
    public var seed: UInt64 = 1
    /// Learnable curves' start (``GammaStart``): their own (`.given`) or the `.median` rule on training pixels
    /// (``LearnableGammaQuantizer/initializeFromMedian(samples:)``, ``LearnedLogQuantizer/initializeFromMedian(samples:range:)``,
    /// ``MonotoneCurveQuantizer/initializeFromMedian(samples:range:)``).
    public var gammaStart: GammaStart = .given
    /// How curve quantizers step to codes in training (``CodeStep``); the noise is seeded from ``seed``.
    public var codeStep: CodeStep = .straightThrough
    /// Where checkpoints, the quantizer and the training curve go.
    public var outputDirectory: String
    /// Continue from `outputDirectory/checkpoint.safetensors` if it exists.
    public var resume = true
    /// Evaluate on the validation split every this many epochs (and after the last).
    public var evaluateEvery = 1
    /// Stop this run after this many epochs in total (the schedule still spans `epochs`); a later run
    /// with `resume` continues. Nil = run to `epochs`.
    public var stopAfterEpoch: Int?
    /// The most memory training may need (``DetectorConfiguration/estimatedTrainingBytes(batch:mosaicWidth:mosaicHeight:)``);
    /// a larger run is refused before it starts. Default: three quarters of the machine's memory.
    public var maxMemoryBytes = MemoryBudget.defaultLimit

    public init(outputDirectory: String) { self.outputDirectory = outputDirectory }
}

/// One row of the training curve (`training.csv`).
public struct EpochRecord: Codable, Sendable, Equatable {
    public var epoch: Int
    public var loss: Double
    public var heatmapLoss: Double
    public var sizeLoss: Double
    public var offsetLoss: Double
    public var validationMAP50: Double?
    public var validationMAP: Double?
    public var seconds: Double
    public var imagesPerSecond: Double
    /// The quantizer's deploy face after the epoch, e.g. "gamma(R 0.31, G 0.29, B 0.33) 4-bit".
    public var quantizer: String

    static let csvHeader = "epoch,loss,heatmap_loss,size_loss,offset_loss,val_map50,val_map,seconds,images_per_second,quantizer"

    var csvLine: String {
        func f(_ v: Double?) -> String { v.map { String(format: "%.6f", $0) } ?? "" }
        return "\(epoch),\(f(loss)),\(f(heatmapLoss)),\(f(sizeLoss)),\(f(offsetLoss)),\(f(validationMAP50)),\(f(validationMAP)),\(f(seconds)),\(f(imagesPerSecond)),\"\(quantizer)\""
    }
}

/// A progress report during training (one per batch).
public struct TrainingProgress: Sendable {
    public var epoch: Int
    public var epochs: Int
    public var batch: Int
    public var batches: Int
    public var loss: Double
    public var imagesPerSecond: Double
    /// Estimated seconds until the end of training.
    public var remainingSeconds: Double
}

/// Trains a ``RawDetector`` — network and quantizer jointly, the quantizer's parameters learning through the
/// detection loss with their own learning rate — with checkpoints, resume, validation mAP per epoch and a
/// CSV training curve.
///
/// Files in the output directory: `checkpoint.safetensors` (after every epoch: weights, optimizer state,
/// epoch), `best.safetensors` (best validation mAP@0.5), `quantizer.safetensors` (the learned deploy face),
/// `training.csv`.
public final class DetectorTrainer {
    public let detector: RawDetector
    public let training: LoadedDataset
    public let validation: LoadedDataset?
    public let options: TrainingOptions

    public init(detector: RawDetector, training: LoadedDataset, validation: LoadedDataset?, options: TrainingOptions) {
        self.detector = detector
        self.training = training
        self.validation = validation
        self.options = options
    }

    private var checkpointPath: String { (options.outputDirectory as NSString).appendingPathComponent("checkpoint.safetensors") }
    private var csvPath: String { (options.outputDirectory as NSString).appendingPathComponent("training.csv") }

    /// Runs the remaining epochs; returns the whole training curve (resumed rows included).
    @discardableResult
    public func run(progress: (TrainingProgress) -> Void = { _ in }) throws -> [EpochRecord] {
        // With a crop every sample has the crop's size (smaller images are padded); without, each image's own.
        let multiple = 2 * detector.network.configuration.planeMultiple
        for image in training.images {
            let width = options.cropWidth ?? image.width, height = options.cropHeight ?? image.height
            guard width % multiple == 0, height % multiple == 0, width >= 32, height >= 32 else {
                throw FileError(path: image.rawPath, "training on \(width)×\(height) mosaics (the \(image.width)×\(image.height) image"
                                + (options.cropWidth == nil ? "" : " cropped or padded to \(options.cropWidth!)×\(options.cropHeight ?? image.height)")
                                + ") needs sides that are multiples of \(multiple), at least 32; choose --crop accordingly")
            }
        }
        if let first = training.images.first {
            let width = options.cropWidth ?? first.width, height = options.cropHeight ?? first.height
            let needed = detector.network.configuration.estimatedTrainingBytes(batch: options.batchSize, mosaicWidth: width, mosaicHeight: height)
            try MemoryBudget.check(needed, limit: options.maxMemoryBytes, path: options.outputDirectory,
                                   what: "training on batches of \(options.batchSize) \(width)×\(height) mosaics at width \(detector.network.configuration.baseChannels)",
                                   advice: "lower --batch, --width or --crop, or raise --max-memory")
        }
        try AtomicOutput.prepareDirectory(options.outputDirectory)
        let network = detector.network.parameters, quantizerParameters = detector.quantizer.parameters
        let optimizer = Optimizer(Adam.adamW(), groups: [
            ParameterGroup(parameters: network, learningRate: options.learningRate, weightDecay: options.weightDecay),
        ] + ParameterGroup.split(quantizerParameters, relative: detector.quantizer.relativeRateParameters,
                                 learningRate: options.quantizerLearningRate))
        var records: [EpochRecord] = []
        var startEpoch = 0
        if options.resume, FileManager.default.fileExists(atPath: checkpointPath) {
            (startEpoch, records) = try resume(optimizer)
        } else {
            initializeQuantizer()
        }
        detector.quantizer.codeStep = options.codeStep
        detector.quantizer.codeStepSeed = options.seed ^ 0xC0DE_5EED
        let augmentation = AugmentationOptions(cropWidth: options.cropWidth, cropHeight: options.cropHeight,
                                               horizontalFlipProbability: options.horizontalFlipProbability,
                                               verticalFlipProbability: options.verticalFlipProbability,
                                               scaleRange: options.scaleRange, photometric: options.photometric,
                                               mosaicProbability: options.mosaicProbability)
        let loader = BatchLoader(dataset: training, options: BatchLoaderOptions(batchSize: options.batchSize, shuffle: true, dropLast: true,
                                                                                augmentation: augmentation), seed: options.seed)
        let batches = max(loader.batchesPerEpoch, 1)
        let schedule = LRSchedule.linearWarmup(steps: options.warmupSteps,
                                               then: .cosine(totalSteps: max(options.epochs * batches - options.warmupSteps, 1), minFactor: 0.05))
        var bestMAP = records.compactMap(\.validationMAP50).max() ?? -1
        let started = Date()
        var imagesDone = 0
        for epoch in startEpoch..<min(options.epochs, options.stopAfterEpoch ?? options.epochs) {
            detector.train()
            detector.quantizer.startEpoch(epoch, of: options.epochs)
            detector.quantizer.startCodeStepStream(epoch: epoch)
            let epochStart = Date()
            var sums = (loss: 0.0, heatmap: 0.0, size: 0.0, offset: 0.0), count = 0
            let iterator = loader.epoch(epoch)
            var b = 0
            while let batch = try iterator.next() {
                optimizer.learningRateScale = schedule.factor(at: epoch * batches + b)
                optimizer.zeroGrad()
                let planes = Tensor(shape: batch.shape, scalars: batch.planes)
                let output = detector.forward(planes: planes)
                let targets = CenterNetTargets(objects: batch.objects, classes: detector.classes,
                                               mosaicWidth: batch.shape[3] * 2, mosaicHeight: batch.shape[2] * 2)
                let loss = CenterNetLoss(output: output, targets: targets)
                loss.total.backward()
                _ = GradientClipping.clipNorm(network + quantizerParameters, maxNorm: options.maxGradientNorm)
                optimizer.step()
                detector.quantizer.afterOptimizerStep()
                let value = Double(loss.total.item)
                sums.loss += value; sums.heatmap += Double(loss.heatmap); sums.size += Double(loss.size); sums.offset += Double(loss.offset)
                count += 1
                b += 1
                imagesDone += batch.shape[0]
                let elapsed = Date().timeIntervalSince(started)
                let rate = Double(imagesDone) / max(elapsed, 1e-9)
                let remainingImages = Double((options.epochs - epoch) * batches - b) * Double(options.batchSize)
                progress(TrainingProgress(epoch: epoch + 1, epochs: options.epochs, batch: b, batches: batches, loss: sums.loss / Double(count),
                                          imagesPerSecond: rate, remainingSeconds: remainingImages / max(rate, 1e-9)))
            }
            let seconds = Date().timeIntervalSince(epochStart)
            var record = EpochRecord(epoch: epoch + 1, loss: sums.loss / Double(max(count, 1)), heatmapLoss: sums.heatmap / Double(max(count, 1)),
                                     sizeLoss: sums.size / Double(max(count, 1)), offsetLoss: sums.offset / Double(max(count, 1)),
                                     validationMAP50: nil, validationMAP: nil, seconds: seconds,
                                     imagesPerSecond: Double(count * options.batchSize) / max(seconds, 1e-9),
                                     quantizer: (try? detector.quantizer.deploySpec().summary) ?? detector.quantizerDescription.name.rawValue)
            if let validation, (epoch + 1) % max(options.evaluateEvery, 1) == 0 || epoch + 1 == options.epochs {
                let result = try DetectorEvaluation.run(detector, on: validation).result
                record.validationMAP50 = result.mAP50
                record.validationMAP = result.mAP
            }
            // A diverged run stops with an error instead of saving NaN weights or ending without a quantizer.
            guard record.loss.isFinite, detector.parameters.allSatisfy({ $0.value.scalars.allSatisfy(\.isFinite) }),
                  !detector.quantizerDescription.name.isQuantized || (try? detector.quantizer.deploySpec()) != nil else {
                throw FileError(path: options.outputDirectory, "training diverged in epoch \(epoch + 1) (loss \(record.loss)); "
                                + "nothing of this epoch was saved: lower --lr or --quantizer-lr")
            }
            records.append(record)
            // best.safetensors first, the checkpoint that makes a resume skip this epoch last: a run killed in
            // between redoes the epoch instead of ending without its best model.
            if let map = record.validationMAP50, map > bestMAP {
                bestMAP = map
                try detector.save(to: (options.outputDirectory as NSString).appendingPathComponent("best.safetensors"), epoch: epoch + 1,
                                  notes: notes)
            }
            try save(records, optimizer: optimizer, epoch: epoch + 1)
        }
        return records
    }

    private var notes: [String: String] {
        ["trainingImages": String(training.images.count), "epochs": String(options.epochs), "batchSize": String(options.batchSize),
         "seed": String(options.seed), "learningRate": String(options.learningRate), "quantizerLearningRate": String(options.quantizerLearningRate),
         "curveStart": options.gammaStart.rawValue, "codeStep": options.codeStep.rawValue]
    }

    /// Data-driven start for threshold and step quantizers (quantiles / LSQ's rule on training pixels), and for
    /// learnable curves with `gammaStart == .median`.
    private func initializeQuantizer() {
        // Learned log, γ-log and monotone curves start at the fixed log of the training camera's (green) ADC range.
        let range = detector.layout.ranges[min(1, detector.layout.ranges.count - 1)]
        if let q = detector.quantizer as? LearnedLogQuantizer { q.initialize(range: range) }
        if let q = detector.quantizer as? MonotoneCurveQuantizer { q.initialize(range: range) }
        let curve = detector.quantizer is LearnableGammaQuantizer || detector.quantizer is LearnedLogQuantizer
            || detector.quantizer is MonotoneCurveQuantizer
        let curveFromData = options.gammaStart == .median && curve
        guard detector.quantizer is ThresholdQuantizer || detector.quantizer is LSQQuantizer || curveFromData else { return }
        var random = SeededRandom(seed: options.seed ^ 0x1234)
        var groups: [[Float]] = [[], [], []]
        for _ in 0..<min(16, training.images.count) {
            let entry = training.images[random.nextInt(below: training.images.count)]
            guard let image = try? RawDecoder.decode(path: entry.rawPath, options: training.decode) else { continue }
            let (planes, _, _) = RawDetector.paddedPlanes(image)
            let size = planes.count / 4
            for plane in 0..<4 {
                let group = [0, 1, 1, 2][plane]
                for _ in 0..<2048 { groups[group].append(planes.scalars[plane * size + random.nextInt(below: size)]) }
            }
        }
        guard groups.allSatisfy({ !$0.isEmpty }) else { return }
        if let q = detector.quantizer as? ThresholdQuantizer { q.initialize(.quantile, samples: groups) }
        if let q = detector.quantizer as? LSQQuantizer { q.initialize(samples: groups) }
        guard curveFromData else { return }
        if let q = detector.quantizer as? LearnableGammaQuantizer { q.initializeFromMedian(samples: groups) }
        if let q = detector.quantizer as? LearnedLogQuantizer { q.initializeFromMedian(samples: groups, range: range) }
        if let q = detector.quantizer as? MonotoneCurveQuantizer { q.initializeFromMedian(samples: groups, range: range) }
    }

    /// Writes the quantizer file and the CSV, then the checkpoint (with Adam state), which marks the epoch done.
    private func save(_ records: [EpochRecord], optimizer: Optimizer<Adam>, epoch: Int) throws {
        if (try? detector.quantizer.deploySpec()) != nil {
            try detector.quantizer.saveQuantizer(to: (options.outputDirectory as NSString).appendingPathComponent("quantizer.safetensors"))
        }
        let csv = ([EpochRecord.csvHeader] + records.map(\.csvLine)).joined(separator: "\n") + "\n"
        try AtomicOutput.write(Array(csv.utf8), to: csvPath)
        let extra = optimizer.stateTensors(detector.namedParameters())
        var notes = self.notes
        notes["trainingCurve"] = try CanonicalJSON.string(records)
        try detector.save(to: checkpointPath, epoch: epoch, notes: notes, extra: extra)
    }

    /// Restores weights, optimizer state and the training curve from the checkpoint.
    private func resume(_ optimizer: Optimizer<Adam>) throws -> (Int, [EpochRecord]) {
        let (saved, info, extra) = try RawDetector.load(from: checkpointPath)
        guard saved.quantizerDescription == detector.quantizerDescription, saved.network.configuration == detector.network.configuration else {
            throw FileError(path: checkpointPath, message: "checkpoint was trained with another quantizer or network; use a new output directory")
        }
        try detector.loadStateDict(saved.stateDict())
        detector.layout = saved.layout
        optimizer.loadStateTensors(extra, detector.namedParameters())
        let records = info.notes["trainingCurve"].flatMap { try? JSONDecoder().decode([EpochRecord].self, from: Data($0.utf8)) } ?? []
        return (info.epoch, records)
    }
}
