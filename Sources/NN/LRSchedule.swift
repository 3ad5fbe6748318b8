import Foundation

/// A learning-rate multiplier as a function of the (0-based) step.
public indirect enum LRSchedule: Sendable {
    /// Always 1.
    case constant
    /// `gamma^(step / stepSize)` (integer division): decays every `stepSize` steps.
    case step(stepSize: Int, gamma: Float)
    /// Cosine annealing from 1 to `minFactor` over `totalSteps`:
    /// `min + (1 − min)·(1 + cos(π·min(step, T)/T))/2`.
    case cosine(totalSteps: Int, minFactor: Float)
    /// Linear warm-up `(step + 1)/steps` for the first `steps` steps, then
    /// `then` evaluated at `step − steps`.
    case linearWarmup(steps: Int, then: LRSchedule)

    /// The multiplier at `step`.
    public func factor(at step: Int) -> Float {
        switch self {
        case .constant:
            return 1
        case let .step(stepSize, gamma):
            precondition(stepSize > 0, "LRSchedule.step: stepSize must be positive")
            return Foundation.pow(gamma, Float(step / stepSize))
        case let .cosine(total, minFactor):
            precondition(total > 0, "LRSchedule.cosine: totalSteps must be positive")
            let t = Double(Swift.min(step, total)) / Double(total)
            return minFactor + (1 - minFactor) * Float((1 + cos(Double.pi * t)) / 2)
        case let .linearWarmup(steps, then):
            if step < steps { return Float(step + 1) / Float(steps) }
            return then.factor(at: step - steps)
        }
    }
}
