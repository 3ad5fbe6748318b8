import Foundation
import NN
import Quantization
import TensorCore

/// Trainable bitwise soft quantization (Schrödter et al.): M = 2^N − 1 trainable thresholds a_j per
/// channel group and a temperature τ shared by all.
///
/// - `.sq`: the network receives Σ_j σ((x̂ − a_j)/τ) / M (training) or #{j : x̂ > a_j} / M (eval).
/// - `.bwsq`: the network receives the M sigmoids as separate channels — a thermometer vector — soft in
///   training, rounded (entry j = [x̂ > a_j]) in eval; the server rebuilds it from the code.
///
/// Output layout for Bw-SQ: `[B, C·M, H, W]`, channel c·M + j holding threshold j of input channel c.
/// Thresholds are in x̂ units, shape `[groups, M]` with groups 1 (global), 3 (R, G, B) or one per feature.
public final class ThresholdQuantizer: InputQuantizer {
    public enum Mode: String, Sendable { case sq, bwsq }

    public let mode: Mode
    public let thresholds: Parameter
    /// The sigmoid temperature; set per epoch by ``schedule``.
    public var temperature: Float
    public var schedule: TemperatureSchedule
    /// Keep each group's thresholds in ascending order (projected after each optimizer step).
    public var keepSorted: Bool
    /// Learned decode values in x̂ per code (`[groups][2^N]`), saved with the deploy face; nil = interval centres.
    public var decoderValues: [[Float]]?

    public convenience init(mode: Mode, bits: Int, perColor: Bool = true, schedule: TemperatureSchedule = .exponential(start: 1, end: 1e-3),
                            keepSorted: Bool = false) {
        self.init(mode: mode, bits: bits, groups: perColor ? 3 : 1, schedule: schedule, keepSorted: keepSorted)
    }

    /// - Parameter groups: parameter groups: 1 (global), 3 (R, G, B) or, for feature vectors, one per feature
    ///   (the ``ChannelLayout``'s `colors` then index the groups).
    public init(mode: Mode, bits: Int, groups: Int, schedule: TemperatureSchedule = .exponential(start: 1, end: 1e-3),
                keepSorted: Bool = false) {
        precondition(groups >= 1, "ThresholdQuantizer: need at least one group")
        self.mode = mode
        self.schedule = schedule
        self.keepSorted = keepSorted
        temperature = schedule.temperature(epoch: 0, of: 1)
        let m = (1 << bits) - 1
        let uniform = (1...m).map { Float($0) / Float(m + 1) }
        thresholds = Parameter(Tensor(shape: [groups, m], scalars: (0..<groups).flatMap { _ in uniform }))
        super.init(bits: bits)
    }

    public override var valuesPerChannel: Int { mode == .bwsq ? levels - 1 : 1 }

    /// Threshold initialisation from data.
    public enum Initialization: String, Sendable {
        /// a_j = min + s(j − ½), s = (max − min)/M.
        case minMax
        /// a_j = the empirical j/2^N quantile.
        case quantile
    }

    /// Initialises each group's thresholds from samples of x̂ (one array per group).
    public func initialize(_ method: Initialization, samples: [[Float]]) {
        let m = levels - 1
        precondition(samples.count == thresholds.shape[0], "ThresholdQuantizer.initialize: need \(thresholds.shape[0]) sample groups")
        let rows: [[Float]] = samples.map { values in
            precondition(!values.isEmpty, "ThresholdQuantizer.initialize: empty sample group")
            switch method {
            case .minMax:
                let lo = values.min()!, hi = values.max()!
                let step = (hi - lo) / Float(m)
                return (1...m).map { lo + step * (Float($0) - 0.5) }
            case .quantile:
                let sorted = values.sorted()
                return (1...m).map { j in sorted[Swift.min(sorted.count - 1, Int(Double(j) / Double(m + 1) * Double(sorted.count)))] }
            }
        }
        thresholds.assign(Tensor(shape: thresholds.shape, scalars: rows.flatMap { $0 }))
    }

    /// Thresholds per input channel, `[C, M]`, from `[groups, M]` values.
    private func channelThresholds(_ values: Tensor, _ layout: ChannelLayout) -> Tensor {
        let groups = values.shape[0], m = values.shape[1]
        // PyTorch-style gather: the index has the output's shape, row c repeating channel c's group.
        let indices = layout.colors.flatMap { color in [Int](repeating: groups == 1 ? 0 : color, count: m) }
        return values.gather(axis: 0, indices: indices, indexShape: [layout.colors.count, m])
    }

    public override func quantize(_ x: Tensor, layout: ChannelLayout) -> Tensor {
        quantize(x, layout: layout, thresholds: thresholds.value)
    }

    /// The forward pass with explicit thresholds `[groups, M]` (functional form; gradients flow to them).
    public func quantize(_ x: Tensor, layout: ChannelLayout, thresholds values: Tensor) -> Tensor {
        let (b, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let m = levels - 1
        let a = channelThresholds(values, layout)
        let steps: Tensor
        if isTraining {
            let difference = x.reshaped([b, c, 1, h, w]) - a.reshaped([1, c, m, 1, 1])
            steps = (difference / Tensor(temperature)).sigmoid()
        } else {
            steps = StraightThrough.thermometer(x, thresholds: a)
        }
        switch mode {
        case .sq: return steps.sum(axis: 2) / Tensor(Float(m))
        case .bwsq: return steps.reshaped([b, c * m, h, w])
        }
    }

    public override func startEpoch(_ epoch: Int, of epochs: Int) {
        temperature = schedule.temperature(epoch: epoch, of: epochs)
    }

    /// Projects the thresholds into [0, 1] (x̂ never leaves it, so a threshold outside only wastes a code)
    /// and, with ``keepSorted``, into ascending order per group.
    public override func afterOptimizerStep() {
        let m = thresholds.shape[1]
        let values = thresholds.value.scalars.map { Swift.min(Swift.max($0, 0), 1) }
        let projected = keepSorted ? (0..<thresholds.shape[0]).flatMap { g in values[(g * m)..<((g + 1) * m)].sorted() } : values
        thresholds.assign(Tensor(shape: thresholds.shape, scalars: projected))
    }

    public override func deploySpec() throws -> QuantizerSpec {
        let m = thresholds.shape[1], values = thresholds.value.scalars
        let rows = (0..<thresholds.shape[0]).map { g in values[(g * m)..<((g + 1) * m)].map(Double.init) }
        return try QuantizerSpec(kind: mode == .sq ? .sq : .bwsq, bits: bits, thresholds: rows,
                                 decoderValues: decoderValues.map { $0.map { $0.map(Double.init) } })
    }
}
