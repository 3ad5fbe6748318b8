import Foundation
import Quantization
import Support

/// What `rawquant features train` reports.
public struct FeatureTrainReport: Sendable, Codable {
    public var data: String
    public var target: String
    public var task: TabularTask
    public var method: FeatureMethod
    public var bits: Int
    public var features: Int
    /// Regression: test MSE on the standardised target (mean over folds with k-fold).
    public var testMSE: Double?
    /// Regression: test RMSE in target units.
    public var testRMSE: Double?
    /// Classification: test accuracy (mean over folds with k-fold).
    public var testAccuracy: Double?
    /// Classification: test macro-F1 (mean over folds with k-fold).
    public var testMacroF1: Double?
    /// 32/N against 32-bit float input (1 for full precision).
    public var compressionFactor: Double
    /// Bits one row occupies on the wire: F·N (F·32 for full precision).
    public var payloadBitsPerRow: Int
    public var trainingRows: Int
    public var validationRows: Int
    public var testRows: Int
    public var bestEpoch: Int
    public var trainingSeconds: Double
    /// With k-fold: each fold's scores.
    public var folds: [FeatureScores]?
    public var seed: UInt64
}

/// What `rawquant features encode` reports.
public struct FeatureEncodeReport: Sendable, Codable {
    public var rows: Int
    public var features: Int
    public var bits: Int
    /// The codes' payload, ⌈rows·F·N/8⌉ bytes.
    public var payloadBytes: Int
    /// The whole .rqf file (payload, header, checksum).
    public var fileBytes: Int
    /// The same rows as 32-bit floats.
    public var float32Bytes: Int
    public var output: String
}

/// The feature-compression jobs behind the CLI: load, train, encode, decode, predict.
public enum FeatureJobs {
    /// Loads a table for training (`task` nil: by the target column's values): ARFF when the file name ends in
    /// `.arff`, else CSV (with or without a header row, ``TableLoadOptions/header``).
    public static func load(path: String, target: String, task: TabularTask? = nil, drop: [String] = [],
                            options: TableLoadOptions = TableLoadOptions()) throws -> TabularDataset {
        try TabularDataset.load(try readTable(path: path, header: options.header), target: target, task: task, drop: drop, options: options)
    }

    /// The table at `path`: ARFF by its `.arff` extension, else CSV.
    public static func readTable(path: String, header: Bool = true) throws -> CSVTable {
        path.lowercased().hasSuffix(".arff") ? try ARFFTable.read(path: path).table : try CSVTable.read(path: path, header: header)
    }

    /// Trains on a seeded hold-out split (or k folds: the report gives their mean, the model is fold 1's).
    public static func train(_ data: TabularDataset, path: String, options: FeatureTrainingOptions, testFraction: Double = 0.2,
                             folds: Int? = nil) -> (report: FeatureTrainReport, model: FeatureModel) {
        let splits = folds.map { TabularSplits.kFold(count: data.count, folds: $0, seed: options.seed) }
            ?? [data.holdOut(testFraction: testFraction, seed: options.seed)]
        var scores: [FeatureScores] = []
        var first: FeatureTrainer.Result?
        var seconds = 0.0
        for split in splits {
            let result = FeatureTrainer.train(data, split: split, options: options)
            scores.append(FeatureTrainer.score(result.model, on: data.subset(split.test)))
            seconds += result.seconds
            if first == nil { first = result }
        }
        func mean(_ values: [Double?]) -> Double? {
            let v = values.compactMap { $0 }
            return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
        }
        let result = first!, split = splits[0]
        let report = FeatureTrainReport(
            data: path, target: data.targetName, task: data.task, method: options.method, bits: options.method == .fp ? 32 : options.bits,
            features: data.featureNames.count, testMSE: mean(scores.map(\.mse)), testRMSE: mean(scores.map(\.rmse)),
            testAccuracy: mean(scores.map(\.accuracy)), testMacroF1: mean(scores.map(\.macroF1)), compressionFactor: result.model.info.compressionFactor,
            payloadBitsPerRow: data.featureNames.count * options.method.payloadBits(bits: options.bits),
            trainingRows: split.training.count, validationRows: split.validation.count, testRows: split.test.count,
            bestEpoch: result.bestEpoch, trainingSeconds: seconds, folds: folds == nil ? nil : scores, seed: options.seed)
        return (report, result.model)
    }

    /// The model's feature columns from a CSV (any order; other columns are ignored).
    /// `header` false: a CSV without a header row, its columns named 1, 2, … (as `--no-header` training names them).
    public static func featureRows(path: String, featureNames: [String], header: Bool = true) throws -> (rows: [[Double]], table: CSVTable) {
        let table = try readTable(path: path, header: header)
        let indices = try featureNames.map { try table.columnIndex($0) }
        let rows = try table.rows.indices.map { r in try indices.map { try table.number(row: r, column: $0) } }
        return (rows, table)
    }

    /// Encodes a CSV's rows into an .rqf file (what a device would send).
    /// A stream model (``SensorStreamModelFile``) encodes a `.ts` file instead (``SensorStreamJobs/encode(model:modelPath:streamPath:outputPath:)``).
    public static func encode(modelPath: String, csvPath: String, outputPath: String, header: Bool = true) throws -> FeatureEncodeReport {
        let table: FeatureModel
        switch try AnyFeatureModel.read(path: modelPath) {
        case .stream(let model): return try SensorStreamJobs.encode(model: model, modelPath: modelPath, streamPath: csvPath, outputPath: outputPath)
        case .table(let model): table = model
        }
        guard let codec = table.codec else { throw FileError(path: modelPath, "a full-precision model has no codec: nothing to encode") }
        let info = table.info
        try AtomicOutput.refuseOverwriting(inputs: [modelPath, csvPath], outputs: [outputPath])
        let rows = try featureRows(path: csvPath, featureNames: info.featureNames, header: header).rows
        let bytes = try FeatureCodeFile.encode(codes: codec.encode(rows), codec: codec, featureNames: info.featureNames)
        try AtomicOutput.writeOrStream(bytes, to: outputPath)
        return FeatureEncodeReport(rows: rows.count, features: codec.features, bits: codec.bits, payloadBytes: codec.payloadBytes(rows: rows.count),
                                   fileBytes: bytes.count, float32Bytes: rows.count * codec.features * 4, output: outputPath)
    }

    /// Reads an .rqf file against a model: the row-major codes.
    public static func readCodes(modelPath: String, model: FeatureModel, rqfPath: String) throws -> [UInt8] {
        guard let codec = model.codec else { throw FileError(path: modelPath, "a full-precision model has no codes") }
        let data = try BoundedFile.read(rqfPath, limit: FeatureCodeFile.maximumFileSize, what: ".rqf file")
        do {
            return try FeatureCodeFile.decode(Array(data), codec: codec, featureNames: model.info.featureNames).codes
        } catch let error as QuantizationError {
            throw FileError(path: rqfPath, error.message)
        }
    }

    /// Decodes an .rqf file into a CSV of representative feature values (the server's view of the data).
    /// With a stream model, the CSV has columns `window`, `step` and the channels (``SensorStreamJobs/decode(model:modelPath:rqfPath:outputPath:)``).
    public static func decode(modelPath: String, rqfPath: String, outputPath: String) throws -> Int {
        try AtomicOutput.refuseOverwriting(inputs: [modelPath, rqfPath], outputs: [outputPath])
        let model: FeatureModel
        switch try AnyFeatureModel.read(path: modelPath) {
        case .stream(let stream): return try SensorStreamJobs.decode(model: stream, modelPath: modelPath, rqfPath: rqfPath, outputPath: outputPath)
        case .table(let table): model = table
        }
        let codes = try readCodes(modelPath: modelPath, model: model, rqfPath: rqfPath)
        let codec = model.codec!, f = codec.features
        let rows = stride(from: 0, to: codes.count, by: f).map { start in (0..<f).map { "\(codec.levels[$0][Int(codes[start + $0])])" } }
        try AtomicOutput.writeOrStream(Array(CSVWriter.text(columns: model.info.featureNames, rows: rows).utf8), to: outputPath)
        return rows.count
    }

    /// Predictions for an .rqf file (server side) or a CSV (through the codec, as a device and server would);
    /// with a CSV holding the target column, also the scores.
    /// A stream model predicts one class per window of an `.rqf` or `.ts` file (scores: accuracy and macro-F1).
    public static func predict(modelPath: String, inputPath: String, outputPath: String?, header: Bool = true) throws -> (predictions: [String], scores: FeatureScores?) {
        try AtomicOutput.refuseOverwriting(inputs: [modelPath, inputPath], outputs: outputPath.map { [$0] } ?? [])
        let model: FeatureModel
        switch try AnyFeatureModel.read(path: modelPath) {
        case .stream(let stream):
            let (labels, scores) = try SensorStreamJobs.predict(model: stream, modelPath: modelPath, inputPath: inputPath, outputPath: outputPath)
            return (labels, scores.map { FeatureScores(accuracy: $0.accuracy, macroF1: $0.macroF1) })
        case .table(let table): model = table
        }
        let outputs: [Double]
        var scores: FeatureScores?
        if inputPath.lowercased().hasSuffix(".rqf") {
            outputs = model.predictions(model.outputs(codes: try readCodes(modelPath: modelPath, model: model, rqfPath: inputPath)))
        } else {
            let (rows, table) = try featureRows(path: inputPath, featureNames: model.info.featureNames, header: header)
            outputs = model.predictions(model.outputs(rows: rows))
            if let column = table.columns.firstIndex(of: model.info.targetName) {
                scores = FeatureTrainer.score(model, on: try targets(table, column: column, info: model.info, rows: rows))
            }
        }
        let labels = outputs.map { model.info.task == .classification ? model.info.classLabels[Int($0)] : "\($0)" }
        if let outputPath {
            try AtomicOutput.writeOrStream(Array(CSVWriter.text(columns: ["prediction"], rows: labels.map { [$0] }).utf8), to: outputPath)
        }
        return (labels, scores)
    }

    /// The rows with their target values as the model numbers them (an unknown class label is an error).
    static func targets(_ table: CSVTable, column: Int, info: FeatureModelInfo, rows: [[Double]]) throws -> TabularDataset {
        let targets: [Double] = try table.rows.indices.map { r in
            switch info.task {
            case .regression: return try table.number(row: r, column: column)
            case .classification:
                guard let index = info.classLabels.firstIndex(of: table.rows[r][column]) else {
                    throw FileError(path: table.path, line: table.lines[r], column: info.targetName,
                                       "class \"\(table.rows[r][column])\" is not one the model knows (\(info.classLabels.joined(separator: ", ")))")
                }
                return Double(index)
            }
        }
        return TabularDataset(featureNames: info.featureNames, targetName: info.targetName, task: info.task, classLabels: info.classLabels,
                              features: rows, targets: targets)
    }
}
