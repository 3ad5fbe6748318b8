import Foundation
import NN
import TensorCore
import TrainableQuantizers

/// The train face of per-feature input quantization: feature rows `[B, F]` → what the network
/// receives, `[B, F·V]` (V = 2^N − 1 for Bw-SQ with column f·V + j holding threshold j of feature f, else 1).
///
/// Quantized methods run one of the project's ``InputQuantizer``s with one parameter group per feature
/// on u = (x − min)/(max − min) ∈ [0, 1] laid out as `[B, F, 1, 1]`; full precision passes z-scores.
public final class FeatureQuantizerLayer: Module {
    public let method: FeatureMethod
    public let bits: Int
    public let features: Int
    public let scaler: FeatureScaler
    /// The quantizer (nil for full precision).
    public let quantizer: InputQuantizer?
    private let layout: ChannelLayout

    /// The default temperature schedule of SQ and Bw-SQ on u: τ from 0.1 to 10⁻⁴, exponentially per epoch.
    /// (The paper starts at τ = 1 on z-scores; u spans the training range of ≈ 6–10 standard deviations,
    /// so 0.1 on u is the same softness.)
    public static let defaultSchedule = TemperatureSchedule.exponential(start: 0.1, end: 1e-4)

    /// - Parameters:
    ///   - training: the training rows (for the quantile and LSQ starts; empty when loading saved parameters);
///     `scaler` must be fitted on them.
    public init(method: FeatureMethod, bits: Int, scaler: FeatureScaler, training rows: [[Double]],
                schedule: TemperatureSchedule = FeatureQuantizerLayer.defaultSchedule) {
        precondition((1...8).contains(bits), "FeatureQuantizerLayer: bits \(bits) outside 1...8")
        self.method = method
        self.bits = bits
        self.scaler = scaler
        features = scaler.mean.count
        layout = ChannelLayout(colors: Array(0..<features), ranges: [Float](repeating: 1, count: features))
        let samples: [[Float]] = (0..<features).map { j in rows.map { Float(scaler.unit($0[j], feature: j)) } }
        switch method {
        case .fp:
            quantizer = nil
        case .minmax, .quantile:
            let q = ThresholdQuantizer(mode: .sq, bits: bits, groups: features, schedule: schedule)
            if rows.isEmpty {
                // Parameters come from a saved model.
            } else if method == .minmax {
                // a_j = min + s(j − ½) on u ∈ [0, 1]: s = 1/M.
                let m = (1 << bits) - 1
                q.thresholds.assign(Tensor(shape: [features, m], scalars: (0..<features).flatMap { _ in (1...m).map { (Float($0) - 0.5) / Float(m) } }))
            } else {
                q.initialize(.quantile, samples: samples)
            }
            q.freeze()
            quantizer = q
        case .sq, .bwsq:
            let q = ThresholdQuantizer(mode: method == .sq ? .sq : .bwsq, bits: bits, groups: features, schedule: schedule)
            if !rows.isEmpty { q.initialize(.quantile, samples: samples) }
            quantizer = q
        case .lsq:
            let q = LSQQuantizer(bits: bits, groups: features)
            if !rows.isEmpty { q.initialize(samples: samples) }
            quantizer = q
        case .gamma, .gammaGlobal:
            // The median start that made learned γ stable at 2 bits in the detection experiment.
            let q = LearnableGammaQuantizer(bits: bits, initialGamma: [1], groups: method == .gamma ? features : 1)
            if !rows.isEmpty { q.initializeFromMedian(samples: samples) }
            quantizer = q
        }
        super.init()
    }

    /// Width of the network's input: F·V.
    public var outputWidth: Int { features * method.valuesPerFeature(bits: bits) }

    /// The layer's input for raw feature rows: z-scores (full precision) or u (quantized), `[B, F]`.
    public func prepare(_ rows: [[Double]]) -> Tensor {
        var scalars = [Float]()
        scalars.reserveCapacity(rows.count * features)
        for row in rows {
            for j in 0..<features {
                scalars.append(Float(method == .fp ? scaler.zScore(row[j], feature: j) : scaler.unit(row[j], feature: j)))
            }
        }
        return Tensor(shape: [rows.count, features], scalars: scalars)
    }

    /// The quantizer's own output for prepared values, `[B, F]` → `[B, F·V]` (fixed methods are always hard):
    /// k/M (min-max, quantile, SQ), (k + ½)/2^N (γ), k·s (LSQ), the 0/1 thermometer (Bw-SQ); z-scores for full precision.
    public func quantizerOutput(_ prepared: Tensor) -> Tensor {
        guard let quantizer else { return prepared }
        if !method.isLearned { quantizer.eval() }
        let b = prepared.shape[0]
        return quantizer(prepared.reshaped([b, features, 1, 1]), layout: layout).reshaped([b, outputWidth])
    }

    /// What the network receives, `[B, F·V]`: for one-value methods the quantizer's value v (for quantile thresholds
    /// the middle of the code's interval) taken to the feature's z-scale as if it were u, (min + v·(max − min) − mean)/std, so that every method feeds the MLP at the scale
    /// full precision does (min-max's k/M becomes exactly its level's z-score); Bw-SQ's thermometer as it is.
    public func forward(_ prepared: Tensor) -> Tensor {
        var q = quantizerOutput(prepared)
        guard quantizer != nil, method != .bwsq else { return q }
        if method == .quantile { q = quantileLevels(q) }
        return q * zScale + zShift
    }

    /// Quantile codes (k/M) → a value per code on u (the middle of an inner code's interval; see the end codes below),
    /// so the network receives a value, not a rank. Fixed thresholds: no gradient is needed.
    private func quantileLevels(_ q: Tensor) -> Tensor {
        let thresholds = (quantizer as! ThresholdQuantizer).thresholds.value.scalars, m = (1 << bits) - 1
        let levels: [[Float]] = (0..<features).map { f in
            let t = thresholds[(f * m)..<((f + 1) * m)].sorted()
            guard m >= 2 else { return [t[0] / 2, (t[0] + 1) / 2] }
            // Inner codes: the middle of their interval; the end codes extend the neighbouring spacing by half,
            // t₁ − (t₂ − t₁)/2 and t_M + (t_M − t_{M−1})/2 (clamped to [0, 1]), as the paper's Pr-QQ decodes them: a
            // heavy tail's extreme then does not stand for its whole end interval.
            return (0...m).map { k in
                switch k {
                case 0: Swift.max(0, t[0] - (t[1] - t[0]) / 2)
                case m: Swift.min(1, t[m - 1] + (t[m - 1] - t[m - 2]) / 2)
                default: (t[k - 1] + t[k]) / 2
                }
            }
        }
        let v = q.scalars
        return Tensor(shape: q.shape, scalars: v.indices.map { i in levels[i % features][Int((v[i] * Float(m)).rounded())] })
    }

    /// Per feature (max − min)/std and (min − mean)/std, `[1, F]`.
    private lazy var zScale = Tensor(shape: [1, features], scalars: (0..<features).map { Float((scaler.max[$0] - scaler.min[$0]) / scaler.std[$0]) })
    private lazy var zShift = Tensor(shape: [1, features], scalars: (0..<features).map { Float((scaler.min[$0] - scaler.mean[$0]) / scaler.std[$0]) })

    public func startEpoch(_ epoch: Int, of epochs: Int) { quantizer?.startEpoch(epoch, of: epochs) }
    public func afterOptimizerStep() { quantizer?.afterOptimizerStep() }
}
