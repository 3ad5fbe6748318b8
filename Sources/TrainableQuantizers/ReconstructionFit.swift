import Foundation
import NN
import Quantization
import TensorCore

/// Fits a quantizer alone, without a task network, to minimise reconstruction error in the log domain:
///
///     loss = mean over pixels and channels of (ln(x̂_rec + ε) − ln(x̂ + ε))², ε = 2⁻¹² (≈ one 12-bit ADC step)
///
/// — the error a viewer of a log-luminance rendering sees, which weighs dark pixels as much as bright ones.
/// For γ the reconstruction is x̂_rec = v^{1/γ} from the network value v = (code + ½)/L, with the
/// straight-through gradient of the code step. For Bw-SQ a per-channel linear decoder on the thermometer
/// vector predicts ln(x̂ + ε) directly (the role the network's first layer plays in a task) and is trained
/// with the thresholds while the temperature decays from `startTemperature` to `endTemperature`.
///
/// Samples are `[1, C, 1, P]` normalised values (a random subset of a mosaic's packed planes).
public enum ReconstructionFit {
    public static let epsilon: Float = 1.0 / 4096

    /// Settings; the defaults were chosen on the CR2 fixture (a start temperature near the spacing of
    /// quantile thresholds close to black, 2·10⁻³; much larger ones leave the soft and hard codes apart).
    public struct Options: Sendable {
        public var steps: Int
        /// Adam learning rate of ρ (γ = softplus ρ).
        public var gammaLearningRate: Float
        /// Adam learning rate of the Bw-SQ decoder; the thresholds use a tenth of it.
        public var learningRate: Float
        public var startTemperature: Float
        public var endTemperature: Float

        public init(steps: Int = 400, gammaLearningRate: Float = 0.03, learningRate: Float = 0.01,
                    startTemperature: Float = 2e-3, endTemperature: Float = 1e-4) {
            self.steps = steps
            self.gammaLearningRate = gammaLearningRate
            self.learningRate = learningRate
            self.startTemperature = startTemperature
            self.endTemperature = endTemperature
        }
    }

    /// ln(x̂ + ε) of the samples.
    static func logTarget(_ x: Tensor) -> Tensor { (x + epsilon).log() }

    /// Fits a learnable γ; returns the loss after each step.
    @discardableResult
    public static func fitGamma(_ quantizer: LearnableGammaQuantizer, samples x: Tensor, layout: ChannelLayout,
                                options: Options = Options()) -> [Float] {
        let target = logTarget(x)
        let optimizer = Optimizer(Adam(), groups: [ParameterGroup(parameters: [quantizer.rho], learningRate: options.gammaLearningRate)])
        quantizer.train()
        var losses: [Float] = []
        for _ in 0..<options.steps {
            optimizer.zeroGrad()
            let loss = gammaLoss(quantizer, x, target, layout)
            loss.backward()
            optimizer.step()
            losses.append(loss.item)
        }
        return losses
    }

    static func gammaLoss(_ q: LearnableGammaQuantizer, _ x: Tensor, _ target: Tensor, _ layout: ChannelLayout) -> Tensor {
        let v = q(x, layout: layout)
        let reconstruction = v.pow(Tensor(1) / q.gamma.perChannel(layout.colors))
        let difference = (reconstruction + epsilon).log() - target
        return (difference * difference).mean()
    }

    /// The log-domain loss of a quantizer reconstructed at code centres (`spec`'s linear decoder), hard
    /// codes, for any deploy face; the common yardstick of the demonstration.
    public static func logError(spec: QuantizerSpec, samples x: Tensor, layout: ChannelLayout) -> Double {
        let planeCount = x.shape[3]
        var total = 0.0
        for c in 0..<layout.colors.count {
            let mapping = spec.mapping(colorIndex: layout.colors[c], range: Int(layout.ranges[c]))
            for p in 0..<planeCount {
                let value = x.scalars[c * planeCount + p]
                let centre = mapping.centre(code: mapping.code(value, levels: spec.levels), levels: spec.levels)
                let d = Foundation.log(centre + Double(epsilon)) - Foundation.log(Double(value) + Double(epsilon))
                total += d * d
            }
        }
        return total / Double(x.count)
    }

    /// Fits Bw-SQ thresholds with a linear log-domain decoder per colour group, then stores that decoder
    /// as the quantizer's learned decode values; returns the loss after each step.
    @discardableResult
    public static func fitBwSQ(_ quantizer: ThresholdQuantizer, samples x: Tensor, layout: ChannelLayout,
                               options: Options = Options()) -> [Float] {
        precondition(quantizer.mode == .bwsq, "ReconstructionFit.fitBwSQ: needs a Bw-SQ quantizer")
        let c = layout.colors.count, m = quantizer.levels - 1, p = x.shape[3], groups = quantizer.thresholds.shape[0]
        let target = logTarget(x).reshaped([1, c, p])
        // Decoder per group: ln(x̂ + ε) ≈ bias_g + Σ_j w_gj · t_j, initialised to the log of each interval's centre.
        let (initialWeights, initialBias) = centreDecoder(quantizer)
        let weights = Parameter(Tensor(shape: [groups, m], scalars: initialWeights))
        let bias = Parameter(Tensor(shape: [groups], scalars: initialBias))
        let groupOf = layout.colors.map { groups == 1 ? 0 : $0 }
        let optimizer = Optimizer(Adam(), groups: [
            ParameterGroup(parameters: [quantizer.thresholds], learningRate: options.learningRate * 0.1),
            ParameterGroup(parameters: [weights, bias], learningRate: options.learningRate),
        ])
        quantizer.schedule = .exponential(start: options.startTemperature, end: options.endTemperature)
        quantizer.train()
        var losses: [Float] = []
        for step in 0..<options.steps {
            quantizer.startEpoch(step, of: options.steps)
            optimizer.zeroGrad()
            let w = weights.value.gather(axis: 0, indices: groupOf.flatMap { [Int](repeating: $0, count: m) }, indexShape: [c, m]).reshaped([1, c, m, 1])
            let b = bias.value.gather(axis: 0, indices: groupOf, indexShape: [c]).reshaped([1, c, 1])
            let thermometer = quantizer(x, layout: layout).reshaped([1, c, m, p])
            let difference = (thermometer * w).sum(axis: 2) + b - target
            let loss = (difference * difference).mean()
            loss.backward()
            optimizer.step()
            quantizer.afterOptimizerStep()
            losses.append(loss.item)
        }
        quantizer.eval()
        quantizer.decoderValues = decodedValues(quantizer, weights: weights.value.scalars, bias: bias.value.scalars)
        return losses
    }

    /// Rank order of each group's thresholds.
    private static func ranks(_ quantizer: ThresholdQuantizer) -> [[Int]] {
        let m = quantizer.thresholds.shape[1], a = quantizer.thresholds.value.scalars
        return (0..<quantizer.thresholds.shape[0]).map { g in (0..<m).sorted { a[g * m + $0] < a[g * m + $1] } }
    }

    /// Decoder weights and biases that output ln of each code interval's centre for the current thresholds.
    private static func centreDecoder(_ quantizer: ThresholdQuantizer) -> ([Float], [Float]) {
        let m = quantizer.thresholds.shape[1], a = quantizer.thresholds.value.scalars
        var w: [Float] = [], b: [Float] = []
        for (g, order) in ranks(quantizer).enumerated() {
            let edges = [0] + order.map { a[g * m + $0] } + [1]
            let centres = (0...m).map { Foundation.log((edges[$0] + edges[$0 + 1]) / 2 + epsilon) }
            b.append(centres[0])
            var row = [Float](repeating: 0, count: m)
            // Entry j (threshold j, rank r) adds the step from centre r to centre r + 1.
            for (rank, j) in order.enumerated() { row[j] = centres[rank + 1] - centres[rank] }
            w += row
        }
        return (w, b)
    }

    /// x̂ each code decodes to under a learned log-domain decoder: code k switches on the k lowest thresholds.
    private static func decodedValues(_ quantizer: ThresholdQuantizer, weights: [Float], bias: [Float]) -> [[Float]] {
        let m = quantizer.thresholds.shape[1]
        return ranks(quantizer).enumerated().map { g, order in
            var logValue = bias[g]
            var values = [Swift.min(Swift.max(Foundation.exp(logValue) - epsilon, 0), 1)]
            for j in order {
                logValue += weights[g * m + j]
                values.append(Swift.min(Swift.max(Foundation.exp(logValue) - epsilon, 0), 1))
            }
            return values
        }
    }
}
