import Foundation
import NN
import TensorCore

/// Settings of one feature-model training run.
public struct FeatureTrainingOptions: Sendable, Codable {
    public var method: FeatureMethod
    public var bits: Int
    public var hidden: [Int] = [128, 128]
    public var dropout: Float = 0.1
    public var epochs = 60
    public var batchSize = 128
    public var learningRate: Float = 1e-3
    /// Adam learning rate of the quantizer's parameters; nil = 1e-2 for γ and for LSQ's step (whose rate is relative
    /// to its size: 1 % per step), 1e-3 for thresholds (SQ, Bw-SQ), which live on an absolute scale with spacing 1/2^N.
    public var quantizerLearningRate: Float?
    /// SQ and Bw-SQ's sigmoid temperature on u, exponentially per epoch from this start…
    public var temperatureStart: Float = 0.1
    /// …to this end (``FeatureQuantizerLayer/defaultSchedule``).
    public var temperatureEnd: Float = 1e-4
    /// AdamW's decoupled weight decay of the MLP's parameters.
    public var weightDecay: Float = 0
    /// How the learning rates change over the run.
    public var schedule: FeatureLRSchedule = .constant
    public var seed: UInt64 = 1

    /// An estimate of the memory training takes for `features` input features (each `valuesPerFeature`
    /// wide): the MLP's weights with their gradients and Adam's two moments (16 bytes each) and a batch's
    /// activations forward and backward. Nil when it overflows.
    public func estimatedTrainingBytes(features: Int, valuesPerFeature: Int) -> Int? {
        let widths = [Double(features) * Double(valuesPerFeature)] + hidden.map(Double.init) + [Double(max(features, 1))]
        let weights = zip(widths, widths.dropFirst()).reduce(0.0) { $0 + $1.0 * $1.1 + $1.1 }
        let activations = Double(batchSize) * widths.reduce(0, +) * 4 * 3
        let bytes = weights * 16 + activations
        return bytes < Double(Int.max) ? Int(bytes) : nil
    }

    public init(method: FeatureMethod, bits: Int) {
        self.method = method
        self.bits = bits
    }

    var resolvedQuantizerLearningRate: Float {
        quantizerLearningRate ?? ([.gamma, .gammaGlobal, .lsq].contains(method) ? 1e-2 : 1e-3)
    }
}

/// The learning-rate schedule of a feature-model run.
public enum FeatureLRSchedule: String, Sendable, Codable, CaseIterable {
    /// The same rate every step.
    case constant
    /// Cosine annealing over all steps, from the rate to 1 % of it (``LRSchedule/cosine(totalSteps:minFactor:)``).
    case cosine

    /// The per-step multiplier for a run of `steps` steps.
    func schedule(steps: Int) -> LRSchedule {
        switch self {
        case .constant: .constant
        case .cosine: .cosine(totalSteps: max(steps, 1), minFactor: 0.01)
        }
    }
}

/// Test-split scores of a trained model.
public struct FeatureScores: Sendable, Codable, Equatable {
    /// Regression: mean squared error on the standardised target (z-scored with the training part's statistics).
    public var mse: Double?
    /// Regression: root mean squared error in target units.
    public var rmse: Double?
    /// Classification: fraction of correct classes.
    public var accuracy: Double?
    /// Classification: mean cross-entropy.
    public var crossEntropy: Double?
    /// Classification: macro-averaged F1 (``ClassificationMetrics/macroF1(predictions:targets:)``).
    public var macroF1: Double?
}

/// Trains a ``FeatureModel`` (quantizer and MLP jointly, Adam, shuffled minibatches) and keeps the epoch with
/// the lowest validation loss, measured through the deploy codec.
public enum FeatureTrainer {
    /// The outcome of a run.
    public struct Result {
        public var model: FeatureModel
        public var validationLoss: Double
        public var bestEpoch: Int
        public var seconds: Double
    }

    public static func train(_ data: TabularDataset, split: TabularSplits.Split, options: FeatureTrainingOptions) -> Result {
        let training = data.subset(split.training), validation = data.subset(split.validation)
        let scaler = FeatureScaler(fitting: training.features)
        var targetMean = 0.0, targetStd = 1.0
        if data.task == .regression {
            let stats = FeatureScaler(fitting: training.targets.map { [$0] })
            targetMean = stats.mean[0]
            targetStd = stats.std[0]
        }
        let info = FeatureModelInfo(method: options.method, bits: options.bits, task: data.task, featureNames: data.featureNames,
                                    targetName: data.targetName, classLabels: data.classLabels, hidden: options.hidden,
                                    dropout: options.dropout, scaler: scaler, targetMean: targetMean, targetStd: targetStd, seed: options.seed)
        let network = FeatureNetwork(info: info, training: training.features,
                                     schedule: .exponential(start: options.temperatureStart, end: options.temperatureEnd))
        let model = FeatureModel(info: info, network: network)
        let optimizer = Optimizer(Adam.adamW(), groups: [
            ParameterGroup(parameters: network.mlp.parameters, learningRate: options.learningRate, weightDecay: options.weightDecay),
        ] + ParameterGroup.split(network.quantizer.parameters.filter { !$0.isFrozen }, relative: network.quantizer.relativeRateParameters,
                                 learningRate: options.resolvedQuantizerLearningRate))
        let started = Date()
        var best = (loss: Double.infinity, epoch: 0, state: network.stateDict())
        let batches = max(1, training.count / options.batchSize)
        let schedule = options.schedule.schedule(steps: batches * options.epochs)
        var step = 0
        for epoch in 0..<options.epochs {
            network.train()
            network.quantizer.startEpoch(epoch, of: options.epochs)
            let order = TabularSplits.permutation(count: training.count, seed: options.seed &* 0x1_0000_0001 &+ UInt64(epoch))
            for b in 0..<batches {
                let rows = order[(b * options.batchSize)..<min(training.count, (b + 1) * options.batchSize)]
                optimizer.zeroGrad()
                optimizer.learningRateScale = schedule.factor(at: step)
                step += 1
                let output = network.forward(rows: rows.map { training.features[$0] })
                loss(output, targets: rows.map { training.targets[$0] }, info: info).backward()
                optimizer.step()
                network.quantizer.afterOptimizerStep()
            }
            model.refreshCodec()
            let validationLoss = Double(loss(model.outputs(rows: validation.features), targets: validation.targets, info: info).item)
            if validationLoss < best.loss { best = (validationLoss, epoch + 1, network.stateDict()) }
        }
        try! network.loadStateDict(best.state)
        model.refreshCodec()
        return Result(model: model, validationLoss: best.loss, bestEpoch: best.epoch, seconds: Date().timeIntervalSince(started))
    }

    /// MSE on standardised targets (regression) or cross-entropy (classification).
    static func loss(_ output: Tensor, targets: [Double], info: FeatureModelInfo) -> Tensor {
        switch info.task {
        case .regression:
            let z = Tensor(shape: [targets.count, 1], scalars: targets.map { Float(($0 - info.targetMean) / info.targetStd) })
            return Loss.mse(output, z)
        case .classification:
            return Loss.crossEntropy(output, targets: targets.map { Int($0) })
        }
    }

    /// Scores `model` on `data` (the test rows), through the deploy codec for quantized methods.
    public static func score(_ model: FeatureModel, on data: TabularDataset) -> FeatureScores {
        let outputs = model.outputs(rows: data.features)
        let predictions = model.predictions(outputs)
        switch model.info.task {
        case .regression:
            let info = model.info
            var se = 0.0
            for (p, t) in zip(predictions, data.targets) { se += (p - t) * (p - t) }
            let mse = se / Double(max(data.count, 1))
            return FeatureScores(mse: mse / (info.targetStd * info.targetStd), rmse: mse.squareRoot())
        case .classification:
            let predicted = predictions.map { Int($0) }, targets = data.targets.map { Int($0) }
            return FeatureScores(accuracy: ClassificationMetrics.accuracy(predictions: predicted, targets: targets),
                                 crossEntropy: Double(loss(outputs, targets: data.targets, info: model.info).item),
                                 macroF1: ClassificationMetrics.macroF1(predictions: predicted, targets: targets))
        }
    }
}
