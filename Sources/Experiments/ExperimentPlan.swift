import Detection
import Foundation
import Quantization
import TrainableQuantizers
import Bayer
import DetectionData

/// One row of the experiment table: an input representation at a bit width.
public struct ExperimentRow: Codable, Hashable, Sendable {
    /// Stable id, e.g. "gamma-per-channel-4", "float", "isp".
    public var id: String
    /// The input representation (stored as its name).
    public var quantizer: InputRepresentation
    /// Bits N; nil for the full-precision and ISP references.
    public var bits: Int?

    public init(quantizer: InputRepresentation, bits: Int?) {
        self.quantizer = quantizer
        self.bits = bits
        id = bits.map { "\(quantizer.rawValue)-\($0)" } ?? quantizer.rawValue
    }

    /// A human-readable label for tables.
    public var label: String { quantizer.label }
}

/// The experiment: rows × seeds, each trained with the same budget on the same splits.
public struct ExperimentPlan: Codable, Sendable {
    /// Dataset directory (VOC layout with `dataset.json` for exposures).
    public var dataset: String
    public var rows: [ExperimentRow]
    public var seeds: [UInt64]
    public var epochs: Int
    public var batchSize: Int
    public var width: Int
    /// Random crop in mosaic pixels (multiples of 16), nil = whole images.
    public var crop: Int?
    public var learningRate: Float
    public var quantizerLearningRate: Float
    /// How learnable curves start (``GammaStart``; the γ-Quant authors: γ = 1.0, `.given`).
    public var gammaStart: GammaStart = .given
    /// How curve quantizers step to codes in training (``CodeStep``); nil = straight-through.
    public var codeStep: CodeStep?
    /// The most memory a run may need (nil: three quarters of the machine's; see ``TrainingOptions/maxMemoryBytes``).
    public var maxMemoryBytes: Int?
    /// Real content: the dataset the train split comes from (clean mosaics, `unprocess --no-noise`), while
    /// validation and test come from ``dataset`` (noisy); nil = ``dataset`` for all three.
    public var trainingDataset: String?
    /// Random scale LOW, HIGH of the training images (``TrainingOptions/scaleRange``); nil = none.
    public var scaleRange: [Double]?
    /// Re-exposure LOW, HIGH with fresh noise every epoch (``PhotometricAugmentation``); nil = none.
    public var reexpose: [Double]?
    /// ISO LOW, HIGH of that noise and of the low-light test.
    public var isoRange: [Double]?
    /// Red and blue gain jitter of the re-exposure (nil: 0.1).
    public var gainJitter: Double?
    /// The camera noise the re-exposure and the low-light test use (nil: ``SensorNoiseProfile`` defaults).
    public var noise: SensorNoiseProfile?
    /// The low-light test: the test images (clean ones from ``trainingDataset`` where given) re-exposed at a
    /// scale log-uniform in LOW, HIGH with fresh noise, the same draws for every row; nil = no such column.
    public var lowLightExposure: [Double]?
    /// Deep stages of every row's network (``DetectorConfiguration/deepStages``); nil = 0.
    public var deepStages: Int?
    /// The networks' input scale (``DetectorConfiguration/inputScale``); nil = 1.
    public var inputScale: Double?
    /// Residual blocks per stage of every row's network (``DetectorConfiguration/residualBlocks``); nil = 0.
    public var residualBlocks: Int?
    /// Probability of a four-image mosaic training sample; nil = 0.
    public var mosaic: Double?

    /// The bit widths of the plan's quantized rows, ascending.
    public var bits: [Int] { Set(rows.compactMap(\.bits)).sorted() }

    /// The table of the headline experiment: the references (12-bit float, ISP, 12-bit float through log and
    /// through a learned monotone curve), and linear, log, fixed γ, learned γ (global, per colour), Bw-SQ, SQ, LSQ,
    /// learned log (global, per colour), γ-log and the learned monotone curve at each of `bits`.
    public static func standard(dataset: String, bits: [Int] = [2, 3, 4, 6, 8], seeds: [UInt64] = [1, 2, 3],
                                epochs: Int = 12, batchSize: Int = 16, width: Int = 16, crop: Int? = nil) -> ExperimentPlan {
        let methods: [InputRepresentation] = [.linear, .log, .gamma, .gammaGlobal, .gammaPerColor, .bwsq, .sq, .lsq,
                                              .logLearnedGlobal, .logLearned, .gammaLog, .monotone]
        let rows = [InputRepresentation.float, .isp, .floatLog, .floatMonotone].map { ExperimentRow(quantizer: $0, bits: nil) }
            + methods.flatMap { m in bits.map { ExperimentRow(quantizer: m, bits: $0) } }
        return ExperimentPlan(dataset: dataset, rows: rows, seeds: seeds, epochs: epochs, batchSize: batchSize, width: width, crop: crop,
                              learningRate: 2e-3, quantizerLearningRate: 1e-2)
    }
}

/// The outcome of one row and seed.
public struct ExperimentRunResult: Codable, Sendable {
    public var row: ExperimentRow
    public var seed: UInt64
    /// VOC mAP@0.5 on the whole test split.
    public var mAP50: Double
    /// COCO AP@[.5:.95] on the test split.
    public var mAP: Double
    /// VOC mAP@0.5 on the darkest third of the test images (by exposure).
    public var darkMAP50: Double
    /// VOC AP@0.5 per class on the test split (classes without ground truth left out); nil in older results.
    public var ap50PerClass: [String: Double]?
    /// VOC AP@0.5 by object size (small, medium, large → class → AP; ``ObjectSize``); nil in older results.
    public var ap50PerSize: [String: [String: Double]]?
    /// VOC mAP@0.5 on the low-light test (``ExperimentPlan/lowLightExposure``); nil without one.
    public var lowLightMAP50: Double?
    public var trainSeconds: Double
    public var imagesPerSecond: Double
    /// The deploy face after training (learned parameters), nil for references.
    public var quantizer: String?
    public var gammas: [Double]?
    /// The evaluated (best-validation) checkpoint's deploy quantizer, nil for references: the report's learned
    /// quantizers and transfer curves come from it, so they need no checkpoint (checkpoints are not committed).
    public var deploySpec: QuantizerSpec?
    /// When the run started and finished (training and evaluation), for the experiment's wall time.
    public var started: Date?
    public var finished: Date?
    /// Tensor-core threads the run used.
    public var threads: Int?
}
