import Foundation
import NN
import Quantization
import TensorCore

/// Learned log and γ-log: y = (ln(1 + D·x̂) / ln(1 + D))^γ with D = e^δ learned (one global value or one per
/// CFA colour R, G, B) and, for γ-log, γ = softplus(ρ) learned too (γ ≡ 1 for the learned log); then
/// code = min(L − 1, ⌊L·y⌋) with a straight-through gradient; the network receives (code + ½)/L.
///
/// The family contains the fixed log (D = the ADC range, γ = 1) and, as D → 0, γ (ln(1 + D·x̂)/ln(1 + D) → x̂),
/// so it starts where the fixed log is (``initialize(range:)``) and can only learn away from it. δ's gradient
/// is scale-free (∂/∂δ = D·∂/∂D), so one learning rate suits D = 10 and D = 10⁴ alike.
public final class LearnedLogQuantizer: InputQuantizer {
    /// δ, `[groups]`: D = e^δ.
    public let logScale: Parameter
    /// ρ, `[groups]`: γ = softplus(ρ); nil for the learned log (γ = 1).
    public let rho: Parameter?

    /// - Parameters: `scale` D at the start (one value, repeated over the groups); `gamma` γ at the start for
    ///   γ-log, nil for the learned log; `groups` 1 (global) or 3 (R, G, B).
    public init(bits: Int, scale: Float = 3839, gamma: Float? = nil, groups: Int = 3) {
        precondition(groups >= 1 && scale > 0 && scale.isFinite && (gamma.map { $0 > 0 && $0.isFinite } ?? true),
                     "LearnedLogQuantizer: need groups ≥ 1, D > 0 and γ > 0")
        logScale = Parameter(Tensor(shape: [groups], scalars: [Float](repeating: Foundation.log(scale), count: groups)))
        rho = gamma.map { Parameter(Tensor(shape: [groups], scalars: [Float](repeating: LearnableGammaQuantizer.inverseSoftplus($0), count: groups))) }
        super.init(bits: bits)
    }

    /// Whether γ is learned (γ-log) or 1 (learned log).
    public var hasGamma: Bool { rho != nil }

    /// The current D values, exactly as the forward pass uses them.
    public var scale: Tensor { logScale.value.exp() }

    /// The current γ values (γ-log), exactly as the forward pass uses them.
    public var gamma: Tensor? { rho?.value.softplus() }

    /// Starts at the fixed log of a channel of ADC range `range` (D = range, γ = 1).
    public func initialize(range: Float) {
        let groups = logScale.shape[0]
        logScale.assign(Tensor(shape: [groups], scalars: [Float](repeating: Foundation.log(Swift.max(range, 1)), count: groups)))
        rho?.assign(Tensor(shape: [groups], scalars: [Float](repeating: LearnableGammaQuantizer.inverseSoftplus(1), count: groups)))
    }

    /// Data-driven start (the median rule): per group, the D whose log maps the samples' median x̂ to the middle
    /// code (``MedianStart/logScale(median:fallback:)``; `range`'s D where there is no such D), γ = 1. `samples`
    /// holds one array per colour R, G, B (pooled for one global D).
    public func initializeFromMedian(samples: [[Float]], range: Float) {
        let scales = MedianStart.medians(samples, groups: logScale.shape[0]).map { MedianStart.logScale(median: $0, fallback: Swift.max(range, 1)) }
        logScale.assign(Tensor(shape: [scales.count], scalars: scales.map(Foundation.log)))
        rho?.assign(Tensor(shape: [scales.count], scalars: [Float](repeating: LearnableGammaQuantizer.inverseSoftplus(1), count: scales.count)))
    }

    /// Sets D (and γ) to given values (one per group), e.g. from a quantizer file.
    public func set(scales: [Float], gammas: [Float]?) {
        precondition(scales.count == logScale.shape[0] && scales.allSatisfy { $0 > 0 }, "LearnedLogQuantizer.set: need \(logScale.shape[0]) positive D")
        logScale.assign(Tensor(shape: [scales.count], scalars: scales.map(LearnedLogQuantizer.exactLog)))
        if let rho, let gammas {
            precondition(gammas.count == rho.shape[0], "LearnedLogQuantizer.set: need \(rho.shape[0]) γ")
            rho.assign(Tensor(shape: [gammas.count], scalars: gammas.map(LearnableGammaQuantizer.inverseSoftplus)))
        }
    }

    /// δ with e^δ = d in Float32 (the tensor core's `exp` is `Foundation.exp`) where such a δ lies within 64 ulps of
    /// ln d (always, for a D this face computed), so a saved D reloads to the same D; else ln d.
    static func exactLog(_ d: Float) -> Float {
        let start = Foundation.log(d)
        var up = start, down = start
        for _ in 0...64 {
            if Foundation.exp(up) == d { return up }
            if Foundation.exp(down) == d { return down }
            up = up.nextUp
            down = down.nextDown
        }
        return start
    }

    /// The curve before the code step, y(x̂; δ, ρ) `[B, C, H, W]`, for gradient checks: `logScale` `[groups]` δ,
    /// `rho` `[groups]` ρ (nil: γ = 1).
    public static func curve(_ x: Tensor, layout: ChannelLayout, logScale: Tensor, rho: Tensor?) -> Tensor {
        let d = logScale.exp().perChannel(layout.colors)
        let y = ((x * d) + 1).log() / (d + 1).log()
        guard let rho else { return y }
        // y^γ is 0 at y = 0 (x̂ = 0), where its derivative in y is infinite for γ < 1 and would meet ∂y/∂D = 0 as
        // ∞ · 0: the power is taken of max(y, 10⁻³⁰) masked to 0 where y = 0 — the same values (y > 0 is at least
        // ~10⁻⁵ on ADC input), finite gradients.
        let black = Tensor(shape: y.shape, scalars: y.scalars.map { $0 > 0 ? 1 : 0 })
        return y.clamp(min: 1e-30, max: .greatestFiniteMagnitude).pow(rho.softplus().perChannel(layout.colors)) * black
    }

    public override func quantize(_ x: Tensor, layout: ChannelLayout) -> Tensor {
        stepToCode(LearnedLogQuantizer.curve(x, layout: layout, logScale: logScale.value, rho: rho?.value))
    }

    public override func deploySpec() throws -> QuantizerSpec {
        let scales = doubles(withNoGrad { scale })
        guard let gamma else { return try .log(bits: bits, scales: scales) }
        return try .gammaLog(doubles(withNoGrad { gamma }), scales: scales, bits: bits)
    }
}
