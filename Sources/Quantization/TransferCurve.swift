import Foundation

/// A monotone curve y = f(x̂) on normalised input x̂ ∈ [0, 1] with f(0) = 0 and f(1) = 1, and its inverse.
///
/// - `linear`: y = x̂
/// - `log(range: D)`: y = ln(1 + D·x̂) / ln(1 + D), with D the channel's ADC range (white − black);
///   this is the γ-Quant authors' log baseline q ∝ ln(x + 1)/ln 2^N with the black level removed.
/// - `gamma(γ)`: y = x̂^γ (γ > 0)
public enum TransferCurve: Sendable, Equatable {
    case linear
    case log(range: Double)
    case gamma(Double)

    /// y = f(x̂) for x̂ ∈ [0, 1].
    @inlinable public func apply(_ x: Double) -> Double {
        switch self {
        case .linear: return x
        case .log(let range): return Foundation.log1p(range * x) / Foundation.log1p(range)
        case .gamma(let g): return x <= 0 ? 0 : Foundation.pow(x, g)
        }
    }

    /// x̂ = f⁻¹(y) for y ∈ [0, 1].
    @inlinable public func invert(_ y: Double) -> Double {
        switch self {
        case .linear: return y
        case .log(let range): return Foundation.expm1(y * Foundation.log1p(range)) / range
        case .gamma(let g): return y <= 0 ? 0 : Foundation.pow(y, 1 / g)
        }
    }
}
