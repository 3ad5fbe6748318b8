import Foundation
import TensorCore

/// Loss functions, each reduced to a scalar (0-d) tensor by the mean unless stated.
public enum Loss {
    /// Mean squared error `mean((p − t)²)`.
    public static func mse(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        checkSameShape(prediction, target, "mse")
        return (prediction - target).square().mean()
    }

    /// Mean absolute error `mean(|p − t|)`.
    public static func l1(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        checkSameShape(prediction, target, "l1")
        return (prediction - target).abs().mean()
    }

    /// Smooth L1 (Huber-like, PyTorch's `smooth_l1_loss`): per element with
    /// `a = |p − t|`, `0.5·a²/β` if `a < β`, else `a − 0.5·β`; then the mean.
    ///
    /// Computed as `0.5·q²/β + (a − q)` with `q = clamp(a, 0, β)`.
    public static func smoothL1(_ prediction: Tensor, _ target: Tensor, beta: Float = 1) -> Tensor {
        checkSameShape(prediction, target, "smoothL1")
        precondition(beta > 0, "smoothL1: beta must be positive")
        let a = (prediction - target).abs()
        let q = a.clamp(min: 0, max: beta)
        return (q.square() * (0.5 / beta) + (a - q)).mean()
    }

    /// Binary cross-entropy on logits `x` with targets `y ∈ [0, 1]`:
    /// `mean(softplus(x) − x·y)` (= `−y·ln σ(x) − (1−y)·ln(1−σ(x))`, stable).
    public static func bceWithLogits(_ logits: Tensor, _ target: Tensor) -> Tensor {
        checkSameShape(logits, target, "bceWithLogits")
        return (logits.softplus() - logits * target).mean()
    }

    /// Cross-entropy of class logits `[N, C]` or `[N, C, H, W]` against integer
    /// class indices (shape: the logits' shape without axis 1, row-major):
    /// `mean(−log_softmax(x)[target])`.
    public static func crossEntropy(_ logits: Tensor, targets: [Int]) -> Tensor {
        precondition(logits.rank >= 2, "crossEntropy: logits must be [N, C, …], got \(logits.shape)")
        var indexShape = logits.shape
        indexShape[1] = 1
        precondition(targets.count == indexShape.elementCount,
                     "crossEntropy: \(targets.count) targets for logits \(logits.shape) (need \(indexShape.elementCount))")
        precondition(targets.allSatisfy { $0 >= 0 && $0 < logits.shape[1] },
                     "crossEntropy: target class out of range 0..<\(logits.shape[1])")
        return -logits.logSoftmax(axis: 1).gather(axis: 1, indices: targets, indexShape: indexShape).mean()
    }

    /// CenterNet focal loss on heatmap logits `x` against a Gaussian-splatted
    /// target heatmap `y ∈ [0, 1]` (peaks exactly 1), same shape.
    ///
    /// With `p = σ(x)`: positives (`y = 1`) contribute `(1 − p)^α · ln p`,
    /// others `(1 − y)^β · p^α · ln(1 − p)`; the loss is
    /// `−Σ / max(number of positives, 1)`. `ln p` and `ln(1 − p)` are computed
    /// stably as `logSigmoid(x)` and `logSigmoid(−x)` (no clamping of p).
    public static func focal(_ logits: Tensor, _ target: Tensor, alpha: Float = 2, beta: Float = 4) -> Tensor {
        checkSameShape(logits, target, "focal")
        let positive = Tensor(shape: target.shape, scalars: target.scalars.map { $0 == 1 ? 1 : 0 })
        let negative = 1 - positive
        let numPositive = positive.scalars.reduce(0, +)
        let p = logits.sigmoid(), oneMinusP = (-logits).sigmoid()
        let posTerm = oneMinusP.pow(alpha) * logits.logSigmoid() * positive
        let negWeight = Tensor(shape: target.shape, scalars: target.scalars.map { pow1p(1 - $0, beta) })
        let negTerm = p.pow(alpha) * (-logits).logSigmoid() * negWeight * negative
        return -(posTerm + negTerm).sum() / Swift.max(numPositive, 1)
    }

    static func pow1p(_ x: Float, _ e: Float) -> Float {
        var r: Float = 1
        if e == e.rounded(), e >= 0, e <= 16 {
            for _ in 0..<Int(e) { r *= x }
            return r
        }
        return Float(Double(x) == 0 ? 0 : exp(Double(e) * log(Double(x))))
    }

    static func checkSameShape(_ a: Tensor, _ b: Tensor, _ op: String) {
        precondition(a.shape == b.shape, "\(op): prediction shape \(a.shape) != target shape \(b.shape)")
    }
}
