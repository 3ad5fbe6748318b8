import Foundation

/// The benchmark behind the paper-style table: methods × bit widths on one table, each repeated on
/// seeded hold-out splits (repeat r: split seed r, initialisation seed r), mean and 95 % interval.
public enum FeatureBenchmark {
    /// One cell: a method at a bit width (full precision: bits nil) over the repeats.
    public struct Cell: Sendable, Codable {
        public var method: FeatureMethod
        public var bits: Int?
        /// Test MSE on the standardised target (regression) or test accuracy (classification), per repeat.
        public var scores: [Double]
        public var mean: Double
        /// Half-width of the 95 % confidence interval of the mean (Student t, n − 1 degrees of freedom).
        public var halfWidth95: Double
        /// Mean training time per run, seconds.
        public var seconds: Double
        /// Classification: macro-F1 per repeat (nil for regression, and in tables written before it was kept).
        public var macroF1: [Double]?
    }

    /// Runs every method × bits (full precision once per repeat) and returns the cells in order.
    public static func run(_ data: TabularDataset, methods: [FeatureMethod], bits: [Int], repeats: Int,
                           options base: FeatureTrainingOptions, testFraction: Double = 0.2,
                           log: (String) -> Void = { _ in }) -> [Cell] {
        var cells: [Cell] = []
        let jobs: [(FeatureMethod, Int?)] = methods.flatMap { m in m == .fp ? [(m, nil)] : bits.map { (m, Optional($0)) } }
        for (method, width) in jobs {
            var scores: [Double] = [], f1: [Double] = [], seconds = 0.0
            for r in 1...repeats {
                var options = base
                options.method = method
                options.bits = width ?? 8
                options.seed = UInt64(r)
                let split = data.holdOut(testFraction: testFraction, seed: UInt64(r))
                let result = FeatureTrainer.train(data, split: split, options: options)
                let score = FeatureTrainer.score(result.model, on: data.subset(split.test))
                scores.append(data.task == .regression ? score.mse! : score.accuracy!)
                if let macroF1 = score.macroF1 { f1.append(macroF1) }
                seconds += result.seconds
            }
            let (mean, half) = meanAndHalfWidth95(scores)
            cells.append(Cell(method: method, bits: width, scores: scores, mean: mean, halfWidth95: half, seconds: seconds / Double(repeats),
                              macroF1: data.task == .classification ? f1 : nil))
            log(String(format: "%@ %@: %.4f ± %.4f (%.1f s/run)", method.rawValue, width.map { "\($0)-bit" } ?? "32-bit", mean, half, seconds / Double(repeats)))
        }
        return cells
    }

    /// `existing` cells with those of `fresh`'s methods replaced (in place; new methods appended): rerunning one
    /// method of a table.
    public static func merge(_ existing: [Cell], _ fresh: [Cell]) -> [Cell] {
        let replaced = Set(fresh.map(\.method))
        var merged: [Cell] = []
        var inserted = false
        for cell in existing {
            if replaced.contains(cell.method) {
                if !inserted { merged += fresh; inserted = true }
            } else {
                merged.append(cell)
            }
        }
        return inserted ? merged : merged + fresh
    }

    /// Mean and the 95 % interval half-width t₀.₉₇₅(n − 1)·s/√n (0 for one value).
    public static func meanAndHalfWidth95(_ values: [Double]) -> (Double, Double) {
        let n = Double(values.count)
        let mean = values.reduce(0, +) / max(n, 1)
        guard values.count > 1 else { return (mean, 0) }
        let s = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
        return (mean, StudentT.quantile(0.975, degreesOfFreedom: values.count - 1) * s / n.squareRoot())
    }

    /// The table: rows per method, columns per bit width, "mean ± half-width" in each cell.
    public static func markdown(_ cells: [Cell], task: TabularTask, bits: [Int]) -> String {
        var text = table(cells, task: task, bits: bits) { $0.scores }
        if task == .classification, cells.contains(where: { $0.macroF1 != nil }) {
            text += "\nMacro-F1 (higher is better), mean ± 95 % interval half-width over the repeats:\n\n"
                + table(cells, task: task, bits: bits, header: false) { $0.macroF1 }
        }
        return text
    }

    /// One metric's table (`value`: the per-repeat scores of a cell; "—" where a cell has none).
    private static func table(_ cells: [Cell], task: TabularTask, bits: [Int], header: Bool = true, value: (Cell) -> [Double]?) -> String {
        let metric = task == .regression ? "test MSE (standardised target; lower is better)" : "test accuracy (higher is better)"
        var lines = (header ? ["Each cell: \(metric), mean ± 95 % interval half-width over the repeats.", ""] : []) + [
                     "| method | " + bits.map { "\($0) bits (×\(String(format: "%.1f", 32 / Double($0))))" }.joined(separator: " | ") + " |",
                     "|---|" + bits.map { _ in "---|" }.joined()]
        var methods: [FeatureMethod] = []
        for cell in cells where !methods.contains(cell.method) { methods.append(cell.method) }
        for method in methods {
            let row = cells.filter { $0.method == method }
            let values = bits.map { b -> String in
                guard let cell = row.first(where: { $0.bits == b || $0.bits == nil }), let values = value(cell), !values.isEmpty else { return "—" }
                let (mean, half) = meanAndHalfWidth95(values)
                return String(format: "%.3f ± %.3f", mean, half)
            }
            lines.append("| \(method == .fp ? "full precision (32 bits, every column)" : method.rawValue) | " + values.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Student's t distribution, for confidence intervals.
public enum StudentT {
    /// The density at t with ν degrees of freedom.
    public static func density(_ t: Double, degreesOfFreedom nu: Int) -> Double {
        let v = Double(nu)
        return exp(lgamma((v + 1) / 2) - lgamma(v / 2) - 0.5 * log(v * Double.pi) - (v + 1) / 2 * log1p(t * t / v))
    }

    /// P(T ≤ t), by Simpson's rule on the density from 0 (symmetry gives the rest); 4000 panels per unit of t.
    public static func cdf(_ t: Double, degreesOfFreedom nu: Int) -> Double {
        let x = abs(t)
        let panels = max(2, Int(x * 4000) / 2 * 2)
        let h = x / Double(panels)
        var sum = density(0, degreesOfFreedom: nu) + density(x, degreesOfFreedom: nu)
        for i in 1..<panels { sum += (i % 2 == 1 ? 4 : 2) * density(Double(i) * h, degreesOfFreedom: nu) }
        let half = sum * h / 3
        return t >= 0 ? 0.5 + half : 0.5 - half
    }

    /// The p-quantile (0.5 < p < 1) by bisection on ``cdf(_:degreesOfFreedom:)``.
    public static func quantile(_ p: Double, degreesOfFreedom nu: Int) -> Double {
        precondition(p > 0.5 && p < 1 && nu >= 1, "StudentT.quantile: need 0.5 < p < 1 and ν ≥ 1")
        var lo = 0.0, hi = 1.0
        while cdf(hi, degreesOfFreedom: nu) < p { hi *= 2 }
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            if cdf(mid, degreesOfFreedom: nu) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }
}
