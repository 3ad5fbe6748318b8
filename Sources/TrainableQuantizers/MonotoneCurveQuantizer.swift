import Foundation
import NN
import Quantization
import TensorCore

/// A learned monotone curve: y = Σ_k Δ_k · clamp((x̂ − t_k)·s_k, 0, 1) on K fixed log-spaced knots
/// (``MonotoneCurve``), with Δ = softplus(θ) / Σ softplus(θ) per CFA colour (or global), so the curve is
/// monotone, starts at 0 and ends at 1 whatever θ; then code = min(L − 1, ⌊L·y⌋) with a straight-through
/// gradient, the network receiving (code + ½)/L — or y itself without quantization (the 12-bit reference
/// through the learned curve). The most flexible curve that is still one LUT on the sensor.
///
/// Started from the fixed log (``initialize(range:)``): knots uniform in the log curve's y and equal Δ.
/// The knots are a buffer (saved with checkpoints), θ `[groups, K]` the parameter.
public final class MonotoneCurveQuantizer: InputQuantizer {
    /// θ `[groups, K]`.
    public let theta: Parameter
    /// t₀ … t_K `[K + 1]`.
    public let knots: Buffer
    public let quantizeOutput: Bool

    /// A curve of `segments` segments on knots log-spaced for ADC range `range`, equal increments; `groups` 1 or 3.
    public init(bits: Int, segments: Int = 16, range: Double = 3839, groups: Int = 3, quantizeOutput: Bool = true) {
        precondition(groups >= 1 && segments >= 1, "MonotoneCurveQuantizer: need groups ≥ 1 and segments ≥ 1")
        theta = Parameter(Tensor.zeros([groups, segments]))
        knots = Buffer(Tensor(shape: [segments + 1], scalars: MonotoneCurve.logSpacedKnots(segments: segments, range: range)))
        self.quantizeOutput = quantizeOutput
        super.init(bits: bits)
    }

    public var segments: Int { theta.shape[1] }

    /// Starts at the fixed log of ADC range `range`: knots log-spaced for it, equal increments.
    public func initialize(range: Float) {
        knots.value = Tensor(shape: [segments + 1], scalars: MonotoneCurve.logSpacedKnots(segments: segments, range: Double(Swift.max(range, 1))))
        theta.assign(Tensor.zeros(theta.shape))
    }

    /// Data-driven start (the median rule): the log that maps the median x̂ of all `samples` to the middle code
    /// (``MedianStart/logScale(median:fallback:)``; the knots are shared by the colours, so one pooled median),
    /// knots log-spaced for its D, equal increments; `range`'s log where there is no such D.
    public func initializeFromMedian(samples: [[Float]], range: Float) {
        let scale = MedianStart.logScale(median: MedianStart.medians(samples, groups: 1)[0], fallback: Swift.max(range, 1))
        knots.value = Tensor(shape: [segments + 1], scalars: MonotoneCurve.logSpacedKnots(segments: segments, range: Double(scale)))
        theta.assign(Tensor.zeros(theta.shape))
    }

    /// Δ `[groups, K]` from θ, exactly as the forward pass uses it.
    public static func increments(_ theta: Tensor) -> Tensor {
        let positive = theta.softplus()
        return positive / positive.sum(axis: 1, keepDims: true)
    }

    /// The current increments.
    public var increments: Tensor { MonotoneCurveQuantizer.increments(theta.value) }

    /// Sets the increments (rows of K positive values summing to 1) and the knots, e.g. from a quantizer file:
    /// θ = ln(expm1(Δ)) reproduces Δ up to rounding, so a reloaded face is checked against the file's spec.
    public func set(knots values: [Float], increments rows: [[Float]]) {
        precondition(values.count == segments + 1 && rows.count == theta.shape[0] && rows.allSatisfy { $0.count == segments },
                     "MonotoneCurveQuantizer.set: shapes do not fit")
        knots.value = Tensor(shape: [values.count], scalars: values)
        theta.assign(Tensor(shape: theta.shape, scalars: rows.flatMap { $0.map { LearnableGammaQuantizer.inverseSoftplus(Swift.max($0, 1e-30)) } }))
    }

    /// The curve y(x̂; θ) `[B, C, H, W]` for knots `knots` (K + 1 values), for gradient checks.
    public static func curve(_ x: Tensor, layout: ChannelLayout, theta: Tensor, knots: [Float]) -> Tensor {
        let delta = increments(theta)
        let slopes = MonotoneCurve.slopes(knots)
        let groups = theta.shape[0], k = theta.shape[1]
        var y: Tensor?
        for segment in 0..<k {
            let column = delta.gather(axis: 1, indices: [Int](repeating: segment, count: groups), indexShape: [groups, 1]).reshaped([groups])
            let term = ((x - Tensor(knots[segment])) * Tensor(slopes[segment])).clamp(min: 0, max: 1) * column.perChannel(layout.colors)
            y = y.map { $0 + term } ?? term
        }
        return y!
    }

    public override func quantize(_ x: Tensor, layout: ChannelLayout) -> Tensor {
        let y = MonotoneCurveQuantizer.curve(x, layout: layout, theta: theta.value, knots: knots.value.scalars)
        return quantizeOutput ? stepToCode(y) : y
    }

    public override func deploySpec() throws -> QuantizerSpec {
        guard quantizeOutput else { throw QuantizationError("a full-precision input has no deploy face") }
        let delta = withNoGrad { increments }.scalars
        let rows = (0..<theta.shape[0]).map { g in delta[(g * segments)..<((g + 1) * segments)].map(Double.init) }
        return try .monotone(knots: knots.value.scalars.map(Double.init), increments: rows, bits: bits)
    }
}
