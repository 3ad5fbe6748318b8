import Foundation

/// The sigmoid temperature τ of soft quantization over training, as a function of the epoch.
///
/// With E epochs and epoch e = 0…E − 1:
/// - `exponential(start, end)`: τ_e = max(start · (end/start)^(e/E), 1e-4) — the paper's per-epoch rule
///   τ ← max(τ · d^{1/E}, 1e-4) with d = end/start (start = 1: d = end).
/// - `linear(start, end)`: straight line from start to end.
/// - `cosine(start, end)`: end + (start − end)·(1 + cos(π e/E))/2.
/// - `warmupLinear(start, end, warmupEpochs)`: start for the warm-up, then linear to end.
/// - `cyclical(high, low, period)`: linear from high to low within each period of epochs, repeating.
/// - `constant(τ)`.
public enum TemperatureSchedule: Sendable, Equatable {
    case constant(Float)
    case exponential(start: Float, end: Float)
    case linear(start: Float, end: Float)
    case cosine(start: Float, end: Float)
    case warmupLinear(start: Float, end: Float, warmupEpochs: Int)
    case cyclical(high: Float, low: Float, period: Int)

    public static let minimum: Float = 1e-4

    public func temperature(epoch: Int, of epochs: Int) -> Float {
        let e = Double(epoch), total = Double(Swift.max(epochs, 1))
        let value: Double
        switch self {
        case .constant(let t): value = Double(t)
        case let .exponential(start, end):
            value = Double(start) * Foundation.pow(Double(end) / Double(start), e / total)
        case let .linear(start, end):
            value = Double(start) + (Double(end) - Double(start)) * Swift.min(e / Swift.max(total - 1, 1), 1)
        case let .cosine(start, end):
            value = Double(end) + (Double(start) - Double(end)) * (1 + Foundation.cos(Double.pi * e / total)) / 2
        case let .warmupLinear(start, end, warmup):
            let rest = Swift.max(total - Double(warmup) - 1, 1)
            value = e < Double(warmup) ? Double(start) : Double(start) + (Double(end) - Double(start)) * Swift.min((e - Double(warmup)) / rest, 1)
        case let .cyclical(high, low, period):
            let p = Swift.max(period, 1)
            value = Double(high) + (Double(low) - Double(high)) * Double(epoch % p) / Double(Swift.max(p - 1, 1))
        }
        return Swift.max(Float(value), TemperatureSchedule.minimum)
    }
}
