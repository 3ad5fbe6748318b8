import Foundation
import Support

/// What a table's target column asks for.
public enum TabularTask: String, Sendable, Codable, CaseIterable {
    /// Predict a number; scored by mean squared error on the standardised target.
    case regression
    /// Predict one of the target column's distinct values; scored by accuracy.
    case classification
}

/// How a table becomes a dataset: which columns and rows are kept.
public struct TableLoadOptions: Sendable, Equatable {
    /// The first line is a header of column names (false: columns are named "1", "2", … by position).
    public var header = true
    /// Leave out feature columns that hold text (categorical ones), keeping numeric columns only.
    public var numericOnly = false
    /// Leave out rows with a missing value in the target or a kept feature (else such a value is an error).
    public var dropMissingRows = false
    /// A column naming each row's group (e.g. the subject who wore the sensor): not a feature; splits then keep each
    /// group whole on one side (``TabularDataset/groups``).
    public var groupColumn: String?

    public init(header: Bool = true, numericOnly: Bool = false, dropMissingRows: Bool = false, groupColumn: String? = nil) {
        self.header = header
        self.numericOnly = numericOnly
        self.dropMissingRows = dropMissingRows
        self.groupColumn = groupColumn
    }
}

/// Numeric feature rows and a target, from a ``CSVTable``.
public struct TabularDataset: Sendable {
    public var featureNames: [String]
    public var targetName: String
    public var task: TabularTask
    /// Classification: the distinct target values, in order (numeric order if all numeric); targets index it.
    public var classLabels: [String]
    /// Feature values, `features[row][feature]`.
    public var features: [[Double]]
    /// Regression: the target value; classification: the class index.
    public var targets: [Double]
    /// Feature columns left out by ``TableLoadOptions/numericOnly`` (categorical ones).
    public var droppedColumns: [String] = []
    /// Rows left out by ``TableLoadOptions/dropMissingRows``.
    public var droppedRows = 0
    /// Each row's group (``TableLoadOptions/groupColumn``); nil: rows are split one by one.
    public var groups: [String]?

    public var count: Int { features.count }

    public init(featureNames: [String], targetName: String, task: TabularTask, classLabels: [String],
                features: [[Double]], targets: [Double]) {
        self.featureNames = featureNames
        self.targetName = targetName
        self.task = task
        self.classLabels = classLabels
        self.features = features
        self.targets = targets
    }

    /// Every column but `target` is a feature and must be numeric. `task` nil: regression when every target
    /// value is a number, classification when none is (labels); a target that mixes numbers with a few texts
    /// (at most 10 % or 5 values) is an error naming the first text, since it is most likely a broken numeric
    /// column — pass `task` to decide. `drop` names columns to ignore.
    ///
    /// `options` (``TableLoadOptions``): with `numericOnly` a feature column holding any text that is not a number
    /// (a categorical column) is left out, as the feature paper keeps numeric columns only; with `dropMissingRows`
    /// a row with a missing value (empty, or `?` in ARFF) in the target or a kept feature is left out. Both are
    /// counted in ``droppedColumns`` and ``droppedRows``; without them such values are errors naming line and column.
    public static func load(_ table: CSVTable, target: String, task: TabularTask? = nil, drop: [String] = [],
                            options: TableLoadOptions = TableLoadOptions()) throws -> TabularDataset {
        var table = table
        let targetIndex = try table.columnIndex(target)
        for name in drop where name != target { _ = try table.columnIndex(name) }
        let groupIndex = try options.groupColumn.map { try table.columnIndex($0) }
        var featureIndices = table.columns.indices.filter { $0 != targetIndex && $0 != groupIndex && !drop.contains(table.columns[$0]) }
        var droppedColumns: [String] = []
        if options.numericOnly {
            let categorical = featureIndices.filter { c in table.rows.contains { !$0[c].isEmpty && !(Double($0[c])?.isFinite ?? false) } }
            droppedColumns = categorical.map { table.columns[$0] }
            featureIndices.removeAll { categorical.contains($0) }
        }
        var droppedRows = 0
        if options.dropMissingRows {
            let used = featureIndices + [targetIndex]
            let keep = table.rows.indices.filter { r in !used.contains { table.rows[r][$0].isEmpty } }
            droppedRows = table.rows.count - keep.count
            guard !keep.isEmpty else { throw FileError(path: table.path, "every row has a missing value") }
            table.rows = keep.map { table.rows[$0] }
            table.lines = keep.map { table.lines[$0] }
        }
        guard !featureIndices.isEmpty else { throw FileError(path: table.path, "no feature columns besides the target \"\(target)\"") }
        var features: [[Double]] = []
        features.reserveCapacity(table.rows.count)
        for r in table.rows.indices {
            features.append(try featureIndices.map { try table.number(row: r, column: $0) })
        }
        let fields = table.rows.map { $0[targetIndex] }
        if let r = fields.firstIndex(of: "") {
            throw FileError(path: table.path, line: table.lines[r], column: target, "missing value")
        }
        let numeric = fields.map { Double($0) != nil }
        let allNumeric = !numeric.contains(false)
        let texts = numeric.filter { !$0 }.count
        if task == nil, texts > 0, texts <= max(5, fields.count / 10), texts < fields.count {
            let r = numeric.firstIndex(of: false)!
            throw FileError(path: table.path, line: table.lines[r], column: Untrusted.escape(target),
                            "\(Untrusted.quote(fields[r])) is not a number, but \(fields.count - texts) of \(fields.count) target values are; "
                            + "fix the value or choose the task (--task regression or classification)")
        }
        let resolved = task ?? (allNumeric ? .regression : .classification)
        var labels: [String] = []
        let targets: [Double]
        switch resolved {
        case .regression:
            targets = try table.rows.indices.map { try table.number(row: $0, column: targetIndex) }
        case .classification:
            let distinct = Set(fields)
            labels = allNumeric ? distinct.sorted { Double($0)! < Double($1)! } : distinct.sorted()
            guard labels.count >= 2 else {
                throw FileError(path: table.path, column: target, "classification needs at least two classes, found \(labels.count)")
            }
            let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($0.element, Double($0.offset)) })
            targets = fields.map { index[$0]! }
        }
        var dataset = TabularDataset(featureNames: featureIndices.map { table.columns[$0] }, targetName: target, task: resolved,
                                     classLabels: labels, features: features, targets: targets)
        dataset.droppedColumns = droppedColumns
        dataset.droppedRows = droppedRows
        if let groupIndex {
            if let r = table.rows.firstIndex(where: { $0[groupIndex].isEmpty }) {
                throw FileError(path: table.path, line: table.lines[r], column: table.columns[groupIndex], "missing group")
            }
            dataset.groups = table.rows.map { $0[groupIndex] }
            guard Set(dataset.groups!).count >= 3 else {
                throw FileError(path: table.path, column: table.columns[groupIndex], "a group split needs at least 3 groups")
            }
        }
        return dataset
    }

    /// The rows at `indices`, in that order.
    public func subset(_ indices: [Int]) -> TabularDataset {
        var part = TabularDataset(featureNames: featureNames, targetName: targetName, task: task, classLabels: classLabels,
                                  features: indices.map { features[$0] }, targets: indices.map { targets[$0] })
        part.groups = groups.map { g in indices.map { g[$0] } }
        return part
    }

    /// A seeded hold-out split of this dataset: by row, or by whole group when it has ``groups``.
    public func holdOut(testFraction: Double, seed: UInt64) -> TabularSplits.Split {
        groups.map { TabularSplits.holdOut(groups: $0, testFraction: testFraction, seed: seed) }
            ?? TabularSplits.holdOut(count: count, testFraction: testFraction, seed: seed)
    }
}

/// Seeded row splits: hold-out and k-fold, each with a validation part carved from the training rows.
public enum TabularSplits {
    /// Row indices of one split.
    public struct Split: Sendable, Equatable {
        public var training: [Int]
        public var validation: [Int]
        public var test: [Int]
    }

    /// A seeded permutation of 0..<count (Fisher–Yates on ``SeededRandom``, modulo indexing).
    public static func permutation(count: Int, seed: UInt64) -> [Int] {
        var order = Array(0..<count)
        var random = SeededRandom(seed: seed)
        random.shuffle(&order, indexing: .modulo)
        return order
    }

    /// `testFraction` of the rows for testing, `validationFraction` of the rest for validation.
    public static func holdOut(count: Int, testFraction: Double = 0.2, validationFraction: Double = 0.1, seed: UInt64) -> Split {
        let order = permutation(count: count, seed: seed)
        let testCount = min(count - 2, max(1, Int((Double(count) * testFraction).rounded())))
        let rest = Array(order[testCount...])
        let validationCount = min(rest.count - 1, max(1, Int((Double(rest.count) * validationFraction).rounded())))
        return Split(training: Array(rest[validationCount...]), validation: Array(rest[..<validationCount]), test: Array(order[..<testCount]))
    }

    /// A hold-out split that keeps every group whole: the distinct groups in a seeded order go to the test part until
    /// it holds `testFraction` of the rows, then to validation until it holds `validationFraction` of the rest (at
    /// least one group each), the others to training. Row order within each part follows the rows.
    public static func holdOut(groups: [String], testFraction: Double = 0.2, validationFraction: Double = 0.1, seed: UInt64) -> Split {
        let distinct = Array(Set(groups)).sorted()
        precondition(distinct.count >= 3, "TabularSplits.holdOut(groups:): need at least 3 groups")
        let order = permutation(count: distinct.count, seed: seed).map { distinct[$0] }
        var sizes: [String: Int] = [:]
        for g in groups { sizes[g, default: 0] += 1 }
        var test = Set<String>(), validation = Set<String>(), taken = 0, k = 0
        while k < order.count - 2 && (test.isEmpty || Double(taken) < testFraction * Double(groups.count)) {
            test.insert(order[k]); taken += sizes[order[k]]!; k += 1
        }
        let rest = groups.count - taken
        taken = 0
        while k < order.count - 1 && (validation.isEmpty || Double(taken) < validationFraction * Double(rest)) {
            validation.insert(order[k]); taken += sizes[order[k]]!; k += 1
        }
        let rows = Array(groups.indices)
        return Split(training: rows.filter { !test.contains(groups[$0]) && !validation.contains(groups[$0]) },
                     validation: rows.filter { validation.contains(groups[$0]) }, test: rows.filter { test.contains(groups[$0]) })
    }

    /// k folds: fold f tests on every k-th row of the permutation starting at f; validation as in ``holdOut``.
    public static func kFold(count: Int, folds k: Int, validationFraction: Double = 0.1, seed: UInt64) -> [Split] {
        precondition(k >= 2 && k <= count, "kFold: need 2 ≤ k ≤ count")
        let order = permutation(count: count, seed: seed)
        return (0..<k).map { f in
            let test = stride(from: f, to: count, by: k).map { order[$0] }
            let testSet = Set(test)
            let rest = order.filter { !testSet.contains($0) }
            let validationCount = min(rest.count - 1, max(1, Int((Double(rest.count) * validationFraction).rounded())))
            return Split(training: Array(rest[validationCount...]), validation: Array(rest[..<validationCount]), test: test)
        }
    }
}

/// Per-feature statistics fitted on training rows: mean and standard deviation (z-scoring) and the
/// range (the quantizers' normalised input u = (x − min)/(max − min), clipped to [0, 1]).
public struct FeatureScaler: Sendable, Codable, Equatable {
    public var mean: [Double]
    /// Standard deviation (population); 1 where a feature is constant.
    public var std: [Double]
    public var min: [Double]
    public var max: [Double]

    public init(mean: [Double], std: [Double], min: [Double], max: [Double]) {
        self.mean = mean
        self.std = std
        self.min = min
        self.max = max
    }

    /// Fits on `rows` (`rows[r][feature]`, at least one row).
    public init(fitting rows: [[Double]]) {
        precondition(!rows.isEmpty, "FeatureScaler: no rows to fit")
        let f = rows[0].count, n = Double(rows.count)
        var mean = [Double](repeating: 0, count: f), sq = [Double](repeating: 0, count: f)
        var lo = rows[0], hi = rows[0]
        for row in rows {
            for j in 0..<f {
                mean[j] += row[j]
                lo[j] = Swift.min(lo[j], row[j])
                hi[j] = Swift.max(hi[j], row[j])
            }
        }
        for j in 0..<f { mean[j] /= n }
        for row in rows { for j in 0..<f { sq[j] += (row[j] - mean[j]) * (row[j] - mean[j]) } }
        self.mean = mean
        std = sq.map { let s = ($0 / n).squareRoot(); return s > 1e-12 ? s : 1 }
        min = lo
        max = hi
    }

    /// (x − mean)/std of feature j.
    @inline(__always) public func zScore(_ x: Double, feature j: Int) -> Double { (x - mean[j]) / std[j] }

    /// (x − min)/(max − min) of feature j, clipped to [0, 1] (0 for a constant feature).
    @inline(__always) public func unit(_ x: Double, feature j: Int) -> Double {
        let range = max[j] - min[j]
        guard range > 0 else { return 0 }
        return Swift.min(Swift.max((x - min[j]) / range, 0), 1)
    }

    /// The raw value of normalised u for feature j.
    @inline(__always) public func raw(unit u: Double, feature j: Int) -> Double { min[j] + u * (max[j] - min[j]) }
}
