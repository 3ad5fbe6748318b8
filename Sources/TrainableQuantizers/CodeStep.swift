import Support
import TensorCore

/// How a curve quantizer's train face steps from the curve y ∈ [0, 1] to the centre of its code in training
/// mode (eval mode is always the hard code, the deploy face bit for bit).
///
/// - ``straightThrough``: the hard code (min(L − 1, ⌊L·y⌋) + ½)/L forward, the identity backward (the
///   straight-through estimator; the network trains on the values it deploys on).
/// - ``noise``: y + u/L with u uniform in [−½, ½) forward, the identity backward — the additive-noise proxy of
///   learned compression (Ballé et al. 2017): the rounding error of the hard code, drawn instead of taken, so the
///   curve's gradient sees every pixel's position within its code; the network meets the hard codes only at
///   validation and deployment.
public enum CodeStep: String, Sendable, Codable, CaseIterable {
    case straightThrough = "ste"
    case noise
}

extension InputQuantizer {
    /// (code + ½)/L of the curve `y` `[B, C, H, W]` — or, in training mode with ``codeStep`` ``CodeStep/noise``,
    /// y + u/L with u from the quantizer's seeded stream (``codeStepSeed`` and a call counter, as ``Dropout``:
    /// the same seed and the same sequence of calls give the same noise).
    func stepToCode(_ y: Tensor) -> Tensor {
        guard isTraining && codeStep == .noise else { return CurveQuantizer.centreOfCode(y, levels: levels) }
        var random = SeededRandom.stream(seed: codeStepSeed, index: nextCodeStepCall())
        let l = Float(levels)
        return y + Tensor(shape: y.shape, scalars: (0..<y.count).map { _ in (random.nextUniform() - 0.5) / l })
    }
}
