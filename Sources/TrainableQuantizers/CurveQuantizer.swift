import Foundation
import NN
import Quantization
import TensorCore

/// Fixed-curve quantizers — linear, log, fixed γ — and the full-precision pass-through.
///
/// Forward: y = f(x̂); code = min(L − 1, ⌊L·y⌋) with a straight-through gradient; the network receives
/// (code + ½)/L. With `quantizeOutput == false` the network receives y itself (full precision; no deploy face).
public final class CurveQuantizer: InputQuantizer {
    public enum Curve: Sendable, Equatable {
        case linear, log
        case gamma([Float])
    }

    public let curve: Curve
    public let quantizeOutput: Bool

    public init(_ curve: Curve, bits: Int, quantizeOutput: Bool = true) {
        if case .gamma(let g) = curve {
            precondition(g.count == 1 || g.count == 3, "CurveQuantizer: γ needs 1 or 3 values")
        }
        self.curve = curve
        self.quantizeOutput = quantizeOutput
        super.init(bits: bits)
    }

    /// Full precision: the network receives x̂ unquantized (the "12-bit float" reference).
    public static func fullPrecision() -> CurveQuantizer { CurveQuantizer(.linear, bits: 8, quantizeOutput: false) }

    public override func quantize(_ x: Tensor, layout: ChannelLayout) -> Tensor {
        let y: Tensor
        switch curve {
        case .linear: y = x
        case .log:
            let d = Tensor(shape: [1, layout.ranges.count, 1, 1], scalars: layout.ranges)
            let denominator = Tensor(shape: [1, layout.ranges.count, 1, 1], scalars: layout.ranges.map { Foundation.log($0 + 1) })
            y = ((x * d) + 1).log() / denominator
        case .gamma(let g):
            y = x.pow(Tensor(shape: [g.count], scalars: g).perChannel(layout.colors))
        }
        return quantizeOutput ? stepToCode(y) : y
    }

    /// (min(L − 1, ⌊L·y⌋) + ½) / L with a straight-through gradient.
    static func centreOfCode(_ y: Tensor, levels: Int) -> Tensor {
        (StraightThrough.code(y, levels: levels) + 0.5) / Tensor(Float(levels))
    }

    public override func deploySpec() throws -> QuantizerSpec {
        guard quantizeOutput else { throw QuantizationError("a full-precision input has no deploy face") }
        switch curve {
        case .linear: return try .linear(bits: bits)
        case .log: return try .log(bits: bits)
        case .gamma(let g): return try .gamma(g.map(Double.init), bits: bits)
        }
    }
}

/// γ-Quant: y = x̂^γ with a learnable γ (one global value, or one per CFA colour R, G, B with both greens
/// sharing), then code = min(L − 1, ⌊L·y⌋) with a straight-through gradient; the network receives (code + ½)/L.
///
/// γ is kept positive by a softplus parametrisation, γ = ln(1 + e^ρ), ρ being the trained parameter
/// (so ∂γ/∂ρ = σ(ρ) never vanishes abruptly as a clamp or ReLU would). ∂y/∂γ = y·ln x̂, set to 0 at x̂ = 0.
public final class LearnableGammaQuantizer: InputQuantizer {
    /// ρ, shape [groups]: [1] (global), [3] (R, G, B) or one per feature.
    public let rho: Parameter

    /// - Parameter initialGamma: γ at the start (1.0 = linear, as the γ-Quant authors start), one or three values.
    public convenience init(bits: Int, initialGamma: [Float] = [1], perColor: Bool = true) {
        self.init(bits: bits, initialGamma: initialGamma, groups: perColor ? 3 : 1)
    }

    /// - Parameter groups: 1 (global), 3 (R, G, B) or one per feature; one initial γ is repeated over them.
    public init(bits: Int, initialGamma: [Float], groups: Int) {
        let start = initialGamma.count == 1 ? [Float](repeating: initialGamma[0], count: groups) : initialGamma
        precondition(groups >= 1 && start.count == groups && start.allSatisfy { $0 > 0 && $0.isFinite },
                     "LearnableGammaQuantizer: need \(groups) positive initial γ")
        rho = Parameter(Tensor(shape: [start.count], scalars: start.map(LearnableGammaQuantizer.inverseSoftplus)))
        super.init(bits: bits)
    }

    /// ρ with softplus(ρ) = γ.
    static func inverseSoftplus(_ gamma: Float) -> Float { gamma > 20 ? gamma : Foundation.log(Foundation.expm1(gamma)) }

    /// The current γ values (1 or 3), exactly as the forward pass uses them.
    public var gamma: Tensor { rho.value.softplus() }

    /// Sets γ (e.g. from a data-driven initialisation).
    public func setGamma(_ values: [Float]) {
        precondition(values.count == rho.shape[0], "LearnableGammaQuantizer.setGamma: need \(rho.shape[0]) values")
        rho.assign(Tensor(shape: [values.count], scalars: values.map(LearnableGammaQuantizer.inverseSoftplus)))
    }

    /// Data-driven start: per group, the γ that maps the samples' median x̂ to the middle of the code range,
    /// median^γ = ½, i.e. γ = ln ½ / ln median, clamped to [0.05, 1] (1 when the median is 0 or ≥ ½).
    /// `samples` holds one array per group (or per colour R, G, B, pooled for one global γ).
    public func initializeFromMedian(samples: [[Float]]) {
        setGamma(MedianStart.medians(samples, groups: rho.shape[0]).map { median in
            guard let median, median > 0 && median < 0.5 else { return 1 }
            return Float(Swift.min(Swift.max(Foundation.log(0.5) / Foundation.log(median), 0.05), 1))
        })
    }

    public override func quantize(_ x: Tensor, layout: ChannelLayout) -> Tensor {
        stepToCode(x.pow(gamma.perChannel(layout.colors)))
    }

    public override func deploySpec() throws -> QuantizerSpec {
        try .gamma(doubles(withNoGrad { gamma }), bits: bits)
    }
}
