import Foundation
import NN
import Support
import TensorCore

/// Settings of one sensor-stream classifier run.
public struct SensorStreamTrainingOptions: Sendable, Codable {
    public var method: FeatureMethod
    public var bits: Int
    public var widths: [Int] = [32, 64, 64]
    public var kernel = 5
    public var dropout: Float = 0.2
    public var epochs = 150
    public var batchSize = 8
    public var learningRate: Float = 3e-3
    /// AdamW weight decay of the CNN.
    public var weightDecay: Float = 1e-4
    /// Random circular shift of each training window by up to this fraction of its length (0 = none): the
    /// phase of an activity in a window carries no class.
    public var shiftFraction = 0.5
    public var sampleRate: Double?
    public var seed: UInt64 = 1

    public init(method: FeatureMethod, bits: Int) {
        self.method = method
        self.bits = bits
    }

    var quantizerLearningRate: Float { [.gamma, .gammaGlobal, .lsq].contains(method) ? 1e-2 : 1e-3 }
}

/// Test scores of a stream classifier.
public struct SensorStreamScores: Sendable, Codable, Equatable {
    public var accuracy: Double
    public var macroF1: Double
}

/// Trains a ``SensorStreamModel`` (quantizer and CNN jointly; AdamW with a cosine schedule over all steps; shuffled
/// minibatches of windows, each circularly shifted at random) and keeps the last epoch: the small HAR sets have no
/// room for a validation split, and nothing is chosen on the test cases.
public enum SensorStreamTrainer {
    public struct Result {
        public var model: SensorStreamModel
        public var seconds: Double
        public var finalLoss: Double
    }

    public static func train(_ data: SensorStreamDataset, options: SensorStreamTrainingOptions) -> Result {
        let samples = data.sampleRows
        let scaler = FeatureScaler(fitting: samples)
        let info = SensorStreamModelInfo(method: options.method, bits: options.bits, channelNames: data.channelNames, classLabels: data.classLabels,
                                         length: data.length, widths: options.widths, kernel: options.kernel, dropout: options.dropout,
                                         scaler: scaler, sampleRate: options.sampleRate, seed: options.seed)
        let network = SensorStreamNetwork(info: info, trainingSamples: samples)
        let model = SensorStreamModel(info: info, network: network)
        let cnn = network.body.parameters + network.head.parameters
        let optimizer = Optimizer(Adam.adamW(), groups: [ParameterGroup(parameters: cnn, learningRate: options.learningRate, weightDecay: options.weightDecay)]
            + ParameterGroup.split(network.quantizer.parameters.filter { !$0.isFrozen }, relative: network.quantizer.relativeRateParameters,
                                   learningRate: options.quantizerLearningRate))
        let started = Date()
        let batches = max(1, (data.count + options.batchSize - 1) / options.batchSize)
        let schedule = LRSchedule.cosine(totalSteps: batches * options.epochs, minFactor: 0.01)
        var random = SeededRandom(seed: options.seed &* 0x9E37_79B9 &+ 17)
        var step = 0, lastLoss = Double.nan
        for epoch in 0..<options.epochs {
            network.train()
            network.quantizer.startEpoch(epoch, of: options.epochs)
            let order = TabularSplits.permutation(count: data.count, seed: options.seed &* 0x1_0000_0001 &+ UInt64(epoch))
            var total = 0.0
            for b in 0..<batches {
                let rows = Array(order[(b * options.batchSize)..<min(data.count, (b + 1) * options.batchSize)])
                let windows = rows.map { i -> [[Double]] in
                    let limit = Int(Double(data.length) * options.shiftFraction)
                    let shift = limit > 0 ? random.nextInt(below: 2 * limit + 1) - limit : 0
                    return data.windows[i].map { shift == 0 ? $0 : rotate($0, by: shift) }
                }
                optimizer.zeroGrad()
                optimizer.learningRateScale = schedule.factor(at: step)
                step += 1
                let loss = Loss.crossEntropy(network.forward(windows: windows, length: data.length), targets: rows.map { data.labels[$0] })
                loss.backward()
                optimizer.step()
                network.quantizer.afterOptimizerStep()
                total += Double(loss.item)
            }
            lastLoss = total / Double(batches)
        }
        model.refreshCodec()
        return Result(model: model, seconds: Date().timeIntervalSince(started), finalLoss: lastLoss)
    }

    /// `values` rotated right by `shift` steps (negative: left).
    static func rotate(_ values: [Double], by shift: Int) -> [Double] {
        let n = values.count, s = ((shift % n) + n) % n
        return s == 0 ? values : Array(values[(n - s)...] + values[..<(n - s)])
    }

    /// Scores `model` on `data` through the deploy codec (quantized methods).
    public static func score(_ model: SensorStreamModel, on data: SensorStreamDataset) -> SensorStreamScores {
        let predicted = SensorStreamModel.predictions(model.outputs(windows: data.windows))
        return SensorStreamScores(accuracy: ClassificationMetrics.accuracy(predictions: predicted, targets: data.labels),
                                  macroF1: ClassificationMetrics.macroF1(predictions: predicted, targets: data.labels))
    }
}
