import Foundation

/// A monotone piecewise-linear transfer curve on x̂ ∈ [0, 1]: K segments between fixed knots
/// 0 = t₀ < t₁ < … < t_K = 1, segment k rising by Δ_k ≥ 0 (ΣΔ = 1 up to rounding):
///
///     y = Σ_k Δ_k · clamp((x̂ − t_k) · s_k, 0, 1),   s_k = 1 / (t_{k+1} − t_k)
///
/// summed in order k = 0, 1, …, in Float32 exactly as the train face (``apply(_:)``), so one LUT on the
/// sensor equals training bit for bit. The knots are log-spaced by default (``logSpacedKnots(segments:range:)``):
/// uniform in the log curve's y, so equal increments reproduce the fixed log curve at the knots.
public struct MonotoneCurve: Sendable, Equatable {
    /// t₀ … t_K, Float32, strictly increasing from 0 to 1.
    public let knots: [Float]
    /// Δ₀ … Δ_{K−1}, Float32, non-negative.
    public let increments: [Float]
    /// s_k = 1 / (t_{k+1} − t_k), Float32.
    public let slopes: [Float]

    public init(knots: [Float], increments: [Float]) {
        precondition(knots.count >= 2 && increments.count == knots.count - 1, "MonotoneCurve: need K + 1 knots and K increments")
        self.knots = knots
        self.increments = increments
        slopes = MonotoneCurve.slopes(knots)
    }

    /// s_k = 1 / (t_{k+1} − t_k) in Float32 (the train face uses these same values).
    public static func slopes(_ knots: [Float]) -> [Float] {
        (0..<(knots.count - 1)).map { 1 / (knots[$0 + 1] - knots[$0]) }
    }

    /// K + 1 knots uniform in y = ln(1 + D·x̂)/ln(1 + D): t_k = expm1(k/K · ln(1 + D))/D, t₀ = 0, t_K = 1 exactly.
    public static func logSpacedKnots(segments: Int, range: Double) -> [Float] {
        precondition(segments >= 1 && range > 0, "MonotoneCurve.logSpacedKnots: need segments ≥ 1 and range > 0")
        return (0...segments).map { k in
            k == 0 ? 0 : k == segments ? 1 : Float(Foundation.expm1(Double(k) / Double(segments) * Foundation.log1p(range)) / range)
        }
    }

    /// y = f(x̂), Float32.
    @inlinable public func apply(_ x: Float) -> Float {
        var y: Float = 0
        for k in 0..<increments.count {
            let term = Swift.min(Swift.max((x - knots[k]) * slopes[k], 0), 1) * increments[k]
            y = k == 0 ? term : y + term
        }
        return y
    }

    /// The smallest x̂ with f(x̂) ≥ y (Double; for decode tables), 1 when the curve never reaches y.
    public func invert(_ y: Double) -> Double {
        var below = 0.0
        for k in 0..<increments.count {
            let rise = Double(increments[k])
            if rise > 0, below + rise >= y {
                let fraction = Swift.max(0, (y - below) / rise)
                return Double(knots[k]) + fraction * (Double(knots[k + 1]) - Double(knots[k]))
            }
            below += rise
        }
        return 1
    }
}
