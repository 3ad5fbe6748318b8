import Foundation
import TrainableQuantizers

/// How each input feature is quantized before the network (the methods of Schrödter et al.'s Table 2,
/// plus learned γ from γ-Quant).
///
/// All quantized methods work on u = (x − min)/(max − min) ∈ [0, 1] (training-part range, clipped) and
/// have per-feature parameters; codes are `bits` wide. Full precision feeds the z-scored feature.
public enum FeatureMethod: String, Sendable, Codable, CaseIterable {
    /// Full precision (32-bit float input, z-scored): the reference.
    case fp
    /// Fixed uniform thresholds a_j = min + s(j − ½), s = (max − min)/M; code k decodes to k/M (the level min + k·s).
    case minmax
    /// Fixed thresholds at the empirical j/2^N quantiles of the training part; an inner code decodes to the middle of its
    /// interval, the two end codes to their threshold ∓ half the neighbouring interval (the paper's Pr-QQ).
    case quantile
    /// Soft quantization: M trainable thresholds (quantile start), Σ_j σ((u − a_j)/τ)/M in training, k/M at inference.
    case sq
    /// Bitwise soft quantization: the M sigmoids as a thermometer vector (soft in training, 0/1 at inference).
    case bwsq
    /// Learned step size: code = clamp(round(u/s), 0, 2^N − 1), network value k·s, s trained (LSQ gradient).
    case lsq
    /// Learned γ per feature: code = min(2^N − 1, ⌊2^N·u^γ⌋), network value (k + ½)/2^N, γ trained (softplus),
    /// started where the feature's median maps to the middle code.
    case gamma
    /// Learned γ shared by every feature (one exponent; sensor axes of one kind), started at the pooled median.
    case gammaGlobal = "gamma-global"

    /// The raw-input representation of the same family (``InputRepresentation``): full precision → float,
    /// min-max → linear, SQ, Bw-SQ, LSQ and learned γ → their raw rows (γ one per feature, as per colour on raw).
    /// Fixed quantile thresholds have no raw row: nil.
    public var representation: InputRepresentation? {
        switch self {
        case .fp: .float
        case .minmax: .linear
        case .quantile: nil
        case .sq: .sq
        case .bwsq: .bwsq
        case .lsq: .lsq
        case .gamma: .gammaPerColor
        case .gammaGlobal: .gammaGlobal
        }
    }

    /// Whether the method has parameters that train with the network.
    public var isLearned: Bool { representation?.isLearnable ?? false }

    /// Values the network receives per feature: 2^N − 1 for Bw-SQ, else 1.
    public func valuesPerFeature(bits: Int) -> Int { self == .bwsq ? (1 << bits) - 1 : 1 }

    /// Payload bits per feature value on the wire: N, or 32 for full precision.
    public func payloadBits(bits: Int) -> Int { self == .fp ? 32 : bits }
}
