import Foundation
import Support

/// One candidate of the protocol's hyperparameter search: the MLP and its training.
public struct FeatureSearchSetting: Sendable, Codable, Equatable, CustomStringConvertible {
    public var hidden: [Int]
    public var dropout: Float
    public var epochs: Int
    public var learningRate: Float
    public var schedule: FeatureLRSchedule

    public init(hidden: [Int], dropout: Float, epochs: Int, learningRate: Float, schedule: FeatureLRSchedule) {
        self.hidden = hidden
        self.dropout = dropout
        self.epochs = epochs
        self.learningRate = learningRate
        self.schedule = schedule
    }

    /// The setting of `options`.
    public init(_ options: FeatureTrainingOptions) {
        self.init(hidden: options.hidden, dropout: options.dropout, epochs: options.epochs, learningRate: options.learningRate,
                  schedule: options.schedule)
    }

    /// `options` with this setting.
    public func applied(to options: FeatureTrainingOptions) -> FeatureTrainingOptions {
        var o = options
        o.hidden = hidden
        o.dropout = dropout
        o.epochs = epochs
        o.learningRate = learningRate
        o.schedule = schedule
        return o
    }

    public var description: String {
        "MLP \(hidden.map(String.init).joined(separator: "-")), dropout \(dropout), \(epochs) epochs, lr \(learningRate) \(schedule.rawValue)"
    }
}

/// The evaluation protocol of the feature-compression paper (Schrödter et al., arXiv 2603.05172), within a 2-core budget.
///
/// Per table: one seeded split, `testFraction` (10 %) test, the rest for training (10 % of it validates the epoch
/// choice). Standardisation of X and y is fitted on the training part; the metric is the test MSE on the standardised
/// target. Per (method, bits): a search over ``settings`` candidates — the base options first, then seeded draws from
/// ``searchSpace`` (the same draws for every cell) — each scored by the mean validation-fold MSE of ``folds``-fold
/// cross-validation on the 90 % part; the best candidate is retrained on the 90 % part with seeds 1…``repeats`` and
/// scored on the test split: mean ± 95 % interval (Student t).
///
/// The paper searched 100 settings × 4 folds per cell over much larger MLPs (5–10 layers, up to 8,192 neurons);
/// that is about 400 trainings a cell, far beyond two cores for a 36-cell table.
public struct PaperProtocol: Sendable {
    public var testFraction = 0.1
    public var repeats = 10
    /// Candidates per cell, the base options included.
    public var settings = 3
    public var folds = 2
    /// Seed of the split and of the candidate draws.
    public var seed: UInt64 = 1

    public init() {}

    /// What the draws choose from: hidden layers, dropout, epochs, learning rate, schedule.
    public static let searchSpace = (
        hidden: [[128, 128], [256, 256], [128, 128, 128, 128, 128], [512, 512]],
        dropout: [Float(0), 0.1, 0.2],
        epochs: [30, 60],
        learningRate: [Float(1e-3), 3e-3],
        schedule: [FeatureLRSchedule.constant, .cosine]
    )

    /// The candidates: the base setting, then `settings − 1` distinct seeded draws from ``searchSpace``.
    public func candidates(base: FeatureTrainingOptions) -> [FeatureSearchSetting] {
        var random = SeededRandom(seed: seed &* 0x2545_F491_4F6C_DD1D &+ 99)
        var list = [FeatureSearchSetting(base)]
        let space = Self.searchSpace
        var attempts = 0
        while list.count < settings && attempts < 1000 {
            attempts += 1
            let s = FeatureSearchSetting(hidden: space.hidden[random.nextInt(below: space.hidden.count)],
                                         dropout: space.dropout[random.nextInt(below: space.dropout.count)],
                                         epochs: space.epochs[random.nextInt(below: space.epochs.count)],
                                         learningRate: space.learningRate[random.nextInt(below: space.learningRate.count)],
                                         schedule: space.schedule[random.nextInt(below: space.schedule.count)])
            if !list.contains(s) { list.append(s) }
        }
        return list
    }

    /// One cell: a method at a bit width (full precision: nil).
    public struct Cell: Sendable, Codable {
        public var method: FeatureMethod
        public var bits: Int?
        /// Test MSE on the standardised target (classification: accuracy), one per seed.
        public var scores: [Double]
        public var mean: Double
        public var halfWidth95: Double
        /// The chosen candidate.
        public var chosen: FeatureSearchSetting
        /// Each candidate's mean cross-validation loss (MSE, or 1 − accuracy), in ``candidates(base:)`` order.
        public var searchLosses: [Double]
        /// Wall-clock seconds of the cell (search and retraining).
        public var seconds: Double
    }

    /// The fixed split: test part and the 90 % training part (with its validation tenth).
    public func split(count: Int) -> TabularSplits.Split {
        TabularSplits.holdOut(count: count, testFraction: testFraction, seed: seed)
    }

    /// Runs every (method, bits) not already in `existing` (a resumed table), calling `save` with all cells after each
    /// one; returns all cells in method × bits order.
    public func run(_ data: TabularDataset, methods: [FeatureMethod], bits: [Int], base: FeatureTrainingOptions, existing: [Cell] = [],
                    log: (String) -> Void = { _ in }, save: ([Cell]) throws -> Void = { _ in }) rethrows -> [Cell] {
        let jobs: [(FeatureMethod, Int?)] = methods.flatMap { m in m == .fp ? [(m, nil)] : bits.map { (m, Optional($0)) } }
        let split = split(count: data.count)
        let rest = split.training + split.validation
        let candidates = candidates(base: base)
        var cells = existing
        for (method, width) in jobs where !cells.contains(where: { $0.method == method && $0.bits == width }) {
            let started = Date()
            var options = base
            options.method = method
            options.bits = width ?? 8
            // Search: k-fold CV on the 90 % part (validation tenth of each fold's training rows as everywhere).
            let folds = TabularSplits.kFold(count: rest.count, folds: folds, seed: seed &+ 7).map { f in
                TabularSplits.Split(training: f.training.map { rest[$0] }, validation: f.validation.map { rest[$0] }, test: f.test.map { rest[$0] })
            }
            let losses = candidates.map { candidate -> Double in
                let o = candidate.applied(to: options)
                let values = folds.map { fold -> Double in
                    let model = FeatureTrainer.train(data, split: fold, options: o).model
                    return Self.loss(FeatureTrainer.score(model, on: data.subset(fold.test)), task: data.task)
                }
                return values.reduce(0, +) / Double(values.count)
            }
            let best = losses.indices.min { losses[$0] < losses[$1] }!
            var scores: [Double] = []
            for r in 1...repeats {
                var o = candidates[best].applied(to: options)
                o.seed = UInt64(r)
                let model = FeatureTrainer.train(data, split: split, options: o).model
                let score = FeatureTrainer.score(model, on: data.subset(split.test))
                scores.append(data.task == .regression ? score.mse! : score.accuracy!)
            }
            let (mean, half) = FeatureBenchmark.meanAndHalfWidth95(scores)
            let cell = Cell(method: method, bits: width, scores: scores, mean: mean, halfWidth95: half, chosen: candidates[best],
                            searchLosses: losses, seconds: Date().timeIntervalSince(started))
            cells.append(cell)
            log(String(format: "%@ %@: %.4f ± %.4f (chose %@; %.0f s)", method.rawValue, width.map { "\($0)-bit" } ?? "32-bit", mean, half,
                       candidates[best].description, cell.seconds))
            try save(ordered(cells, jobs: jobs))
        }
        return ordered(cells, jobs: jobs)
    }

    private func ordered(_ cells: [Cell], jobs: [(FeatureMethod, Int?)]) -> [Cell] {
        let inJobs = jobs.compactMap { job in cells.first { $0.method == job.0 && $0.bits == job.1 } }
        return inJobs + cells.filter { c in !jobs.contains { $0.0 == c.method && $0.1 == c.bits } }
    }

    /// The search's loss: MSE (regression) or 1 − accuracy (classification).
    static func loss(_ scores: FeatureScores, task: TabularTask) -> Double {
        task == .regression ? scores.mse! : 1 - scores.accuracy!
    }

    /// The table as Markdown: one row per method, one column per width, mean ± half-width; then each cell's choice.
    public func markdown(_ cells: [Cell], dataset: TabularDataset, path: String, bits: [Int], command: String) -> String {
        let metric = dataset.task == .regression ? "test MSE on the standardised target (lower is better)" : "test accuracy (higher is better)"
        var lines = ["# \(URL(fileURLWithPath: path).lastPathComponent): the feature paper's protocol", "",
                     "Made by `\(command)`; \(Int(cells.reduce(0) { $0 + $1.seconds }.rounded())) s of training on "
                     + "\(ProcessInfo.processInfo.activeProcessorCount) cores.", "",
                     "\(dataset.count) rows × \(dataset.featureNames.count) features, target \(dataset.targetName). One seeded split "
                     + "(seed \(seed)): \(Int((testFraction * 100).rounded())) % test. Per cell: \(settings) candidate settings scored by "
                     + "\(folds)-fold cross-validation on the rest, the best retrained with seeds 1…\(repeats). Each cell: \(metric), mean ± 95 % "
                     + "interval half-width over the seeds.", "",
                     "| method | " + bits.map { "\($0) bits" }.joined(separator: " | ") + " |",
                     "|---|" + bits.map { _ in "---|" }.joined()]
        var methods: [FeatureMethod] = []
        for cell in cells where !methods.contains(cell.method) { methods.append(cell.method) }
        for method in methods {
            let values = bits.map { b -> String in
                guard let cell = cells.first(where: { $0.method == method && ($0.bits == b || $0.bits == nil) }) else { return "—" }
                return String(format: "%.3f ± %.3f", cell.mean, cell.halfWidth95)
            }
            lines.append("| \(method == .fp ? "full precision (32 bits)" : method.rawValue) | " + values.joined(separator: " | ") + " |")
        }
        lines += ["", "Chosen settings:", ""]
        for cell in cells {
            lines.append("- \(cell.method.rawValue) \(cell.bits.map { "\($0)-bit" } ?? "32-bit"): \(cell.chosen)"
                         + " (CV losses \(cell.searchLosses.map { String(format: "%.4f", $0) }.joined(separator: ", ")))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
