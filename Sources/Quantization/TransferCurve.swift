import Foundation
import Bayer

/// A monotone curve y = f(x̂) on normalised input x̂ ∈ [0, 1] with f(0) = 0 and f(1) = 1, and its inverse.
///
/// - `linear`: y = x̂
/// - `log(range: D)`: y = ln(1 + D·x̂) / ln(1 + D), with D the channel's ADC range (white − black);
///   the γ-Quant authors' log baseline q ∝ ln(x + 1)/ln 2^N with the black level removed.
/// - `gamma(γ)`: y = x̂^γ (γ > 0)
/// - `gammaLog(range: D, gamma: γ)`: y = (ln(1 + D·x̂) / ln(1 + D))^γ — the log curve bent by a power
/// - `monotone(c)`: a monotone piecewise-linear curve (``MonotoneCurve``)
///
/// `apply` evaluates in Float32 with exactly the operations the train face runs on the tensor core
/// (`x·D`, `+ 1`, `log`, `/ log(1 + D)`; `pow`), so sensor tables and training agree bit for bit.
/// `invert` is in Double: it only builds decode tables.
public enum TransferCurve: Sendable, Equatable {
    case linear
    case log(range: Float)
    case gamma(Float)
    case gammaLog(range: Float, gamma: Float)
    case monotone(MonotoneCurve)

    /// y = f(x̂) for x̂ ∈ [0, 1], Float32.
    @inlinable public func apply(_ x: Float) -> Float {
        switch self {
        case .linear: return x
        case .log(let range): return Foundation.log(x * range + 1) / Foundation.log(range + 1)
        case .gamma(let g): return Foundation.pow(x, g)
        case .gammaLog(let range, let g): return Foundation.pow(Foundation.log(x * range + 1) / Foundation.log(range + 1), g)
        case .monotone(let c): return c.apply(x)
        }
    }

    /// x̂ = f⁻¹(y) for y ∈ [0, 1].
    public func invert(_ y: Double) -> Double {
        switch self {
        case .linear: return y
        case .log(let range): return Foundation.expm1(y * Foundation.log1p(Double(range))) / Double(range)
        case .gamma(let g): return y <= 0 ? 0 : Foundation.pow(y, 1 / Double(g))
        case .gammaLog(let range, let g):
            return y <= 0 ? 0 : Foundation.expm1(Foundation.pow(y, 1 / Double(g)) * Foundation.log1p(Double(range))) / Double(range)
        case .monotone(let c): return c.invert(y)
        }
    }
}

/// How a channel's normalised input x̂ becomes an N-bit code, and what each code stands for.
///
/// Codes (L = 2^N levels, M = L − 1):
/// - `curve(f)`: code = min(L − 1, ⌊L · f(x̂)⌋)  (linear, log, γ — fixed or learned)
/// - `thresholds(a)`: code = #{ j : x̂ > a_j } for M thresholds (SQ and Bw-SQ)
/// - `step(s)`: code = clamp(round_half_even(x̂ / s), 0, L − 1)  (LSQ)
public enum CodeMapping: Sendable, Equatable {
    case curve(TransferCurve)
    case thresholds([Float])
    case step(Float)

    /// The code of x̂ at `levels` = 2^N levels (Float32 arithmetic).
    @inlinable public func code(_ x: Float, levels: Int) -> Int {
        switch self {
        case .curve(let f):
            return min(levels - 1, Int((Float(levels) * f.apply(x)).rounded(.down)))
        case .thresholds(let a):
            var count = 0
            for t in a where x > t { count += 1 }
            return count
        case .step(let s):
            return min(levels - 1, max(0, Int((x / s).rounded(.toNearestOrEven))))
        }
    }

    /// The centre of code k's input interval in x̂ (what the decode tables map back to linear units).
    public func centre(code k: Int, levels: Int) -> Double {
        switch self {
        case .curve(let f):
            return f.invert((Double(k) + 0.5) / Double(levels))
        case .thresholds(let a):
            let sorted = [0.0] + a.map(Double.init).sorted() + [1.0]
            return min(max((sorted[k] + sorted[k + 1]) / 2, 0), 1)
        case .step(let s):
            return min(max(Double(k) * Double(s), 0), 1)
        }
    }
}
