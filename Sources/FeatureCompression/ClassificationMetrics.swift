/// Scores of class predictions against true classes.
public enum ClassificationMetrics {
    /// Fraction of predictions equal to their target.
    public static func accuracy(predictions: [Int], targets: [Int]) -> Double {
        precondition(predictions.count == targets.count, "ClassificationMetrics: \(predictions.count) predictions for \(targets.count) targets")
        return Double(zip(predictions, targets).filter { $0 == $1 }.count) / Double(max(targets.count, 1))
    }

    /// Macro-averaged F1: the unweighted mean over classes of F1_k = 2·TP_k / (2·TP_k + FP_k + FN_k), over the
    /// classes that occur in `targets` or `predictions` (a class predicted but never true scores 0, as
    /// scikit-learn's `f1_score(average="macro", zero_division=0)`).
    public static func macroF1(predictions: [Int], targets: [Int]) -> Double {
        precondition(predictions.count == targets.count, "ClassificationMetrics: \(predictions.count) predictions for \(targets.count) targets")
        var tp: [Int: Int] = [:], fp: [Int: Int] = [:], fn: [Int: Int] = [:]
        for (p, t) in zip(predictions, targets) {
            if p == t { tp[t, default: 0] += 1 } else { fp[p, default: 0] += 1; fn[t, default: 0] += 1 }
        }
        let classes = Set(predictions).union(targets)
        guard !classes.isEmpty else { return 0 }
        let f1 = classes.map { k -> Double in
            let a = tp[k, default: 0], denominator = 2 * a + fp[k, default: 0] + fn[k, default: 0]
            return denominator == 0 ? 0 : Double(2 * a) / Double(denominator)
        }
        return f1.reduce(0, +) / Double(classes.count)
    }
}
