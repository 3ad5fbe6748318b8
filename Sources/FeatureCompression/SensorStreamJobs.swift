import Foundation
import Quantization
import Support

/// What `rawquant features train` reports for a sensor stream.
public struct SensorStreamTrainReport: Sendable, Codable {
    public var data: String
    public var testData: String
    public var method: FeatureMethod
    public var bits: Int
    public var channels: Int
    public var length: Int
    public var testAccuracy: Double
    public var testMacroF1: Double
    /// Bits one time step occupies on the wire: channels · N (32 per channel for full precision).
    public var bitsPerSample: Int
    /// What a device streaming at the sample rate sends, bytes per second (nil without `--sample-rate`).
    public var bytesPerSecond: Double?
    public var trainingCases: Int
    public var testCases: Int
    public var finalLoss: Double
    public var trainingSeconds: Double
    public var seed: UInt64
}

/// One cell of the stream benchmark: a method at a bit width over the seeds.
public struct SensorStreamCell: Sendable, Codable {
    public var method: FeatureMethod
    /// Nil for full precision.
    public var bits: Int?
    public var accuracy: [Double]
    public var macroF1: [Double]
    public var bytesPerSecond: Double?
    public var seconds: Double
}

/// The sensor-stream jobs behind the CLI: train, benchmark, encode, decode, predict.
public enum SensorStreamJobs {
    /// Trains on `train` and scores once on `test` (its own split, e.g. a UEA archive's TRAIN and TEST files).
    public static func train(_ train: SensorStreamDataset, test: SensorStreamDataset, options: SensorStreamTrainingOptions)
        -> (report: SensorStreamTrainReport, model: SensorStreamModel) {
        let result = SensorStreamTrainer.train(train, options: options)
        let scores = SensorStreamTrainer.score(result.model, on: test)
        let info = result.model.info
        let report = SensorStreamTrainReport(data: train.path, testData: test.path, method: options.method,
                                             bits: options.method == .fp ? 32 : options.bits, channels: train.channels, length: train.length,
                                             testAccuracy: scores.accuracy, testMacroF1: scores.macroF1, bitsPerSample: info.bitsPerSample,
                                             bytesPerSecond: info.bytesPerSecond, trainingCases: train.count, testCases: test.count,
                                             finalLoss: result.finalLoss, trainingSeconds: result.seconds, seed: options.seed)
        return (report, result.model)
    }

    /// Every method × bits (full precision once), seeds 1…`repeats`.
    public static func benchmark(train trainData: SensorStreamDataset, test testData: SensorStreamDataset, methods: [FeatureMethod], bits: [Int], repeats: Int,
                                 options base: SensorStreamTrainingOptions, log: (String) -> Void = { _ in }) -> [SensorStreamCell] {
        let jobs: [(FeatureMethod, Int?)] = methods.flatMap { m in m == .fp ? [(m, nil)] : bits.map { (m, Optional($0)) } }
        return jobs.map { method, width in
            var accuracy: [Double] = [], f1: [Double] = [], seconds = 0.0, rate: Double?
            for r in 1...repeats {
                var options = base
                options.method = method
                options.bits = width ?? 8
                options.seed = UInt64(r)
                let (report, _) = train(trainData, test: testData, options: options)
                accuracy.append(report.testAccuracy)
                f1.append(report.testMacroF1)
                seconds += report.trainingSeconds
                rate = report.bytesPerSecond
            }
            let (a, ah) = FeatureBenchmark.meanAndHalfWidth95(accuracy), (f, fh) = FeatureBenchmark.meanAndHalfWidth95(f1)
            log(String(format: "%@ %@: accuracy %.3f ± %.3f, macro-F1 %.3f ± %.3f (%.1f s/run)", method.rawValue,
                       width.map { "\($0)-bit" } ?? "32-bit", a, ah, f, fh, seconds / Double(repeats)))
            return SensorStreamCell(method: method, bits: width, accuracy: accuracy, macroF1: f1, bytesPerSecond: rate, seconds: seconds / Double(repeats))
        }
    }

    /// The benchmark as Markdown: one row per method and width, accuracy and macro-F1 as mean ± 95 % half-width.
    public static func markdown(_ cells: [SensorStreamCell], train: SensorStreamDataset, test: SensorStreamDataset, command: String, seconds: Double) -> String {
        let repeats = cells.first?.accuracy.count ?? 0
        var lines = ["# \(URL(fileURLWithPath: train.path).lastPathComponent): activity recognition from quantized sensor streams", "",
                     "Made by `\(command)` in \(Int(seconds.rounded())) s.", "",
                     "\(train.count) training and \(test.count) test windows of \(train.length) steps × \(train.channels) channels, "
                     + "\(train.classLabels.count) classes (\(train.classLabels.joined(separator: ", "))). Each cell: mean ± 95 % interval "
                     + "half-width over \(repeats) seeds (Student t), scored once on the test file, through the codec.", "",
                     "| method | bits | accuracy | macro-F1 | bits per sample | bytes per second |", "|---|---|---|---|---|---|"]
        for cell in cells {
            let (a, ah) = FeatureBenchmark.meanAndHalfWidth95(cell.accuracy), (f, fh) = FeatureBenchmark.meanAndHalfWidth95(cell.macroF1)
            let bits = cell.method.payloadBits(bits: cell.bits ?? 8) * train.channels
            lines.append("| \(cell.method == .fp ? "full precision" : cell.method.rawValue) | \(cell.bits.map(String.init) ?? "32") | "
                         + String(format: "%.3f ± %.3f | %.3f ± %.3f | %d | %@ |", a, ah, f, fh, bits, cell.bytesPerSecond.map { String(format: "%.1f", $0) } ?? "—"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Encodes a `.ts` file's windows into an `.rqf` file: every time step a row of the channels' codes, window by window.
    public static func encode(model: SensorStreamModel, modelPath: String, streamPath: String, outputPath: String) throws -> FeatureEncodeReport {
        guard let codec = model.codec else { throw FileError(path: modelPath, "a full-precision model has no codec: nothing to encode") }
        try AtomicOutput.refuseOverwriting(inputs: [modelPath, streamPath], outputs: [outputPath])
        let windows = try read(streamPath, for: model).windows
        let rows = SensorStreamDataset.sampleRows(windows)
        let bytes = try FeatureCodeFile.encode(codes: codec.encode(rows), codec: codec, featureNames: model.info.channelNames)
        try AtomicOutput.writeOrStream(bytes, to: outputPath)
        return FeatureEncodeReport(rows: rows.count, features: codec.features, bits: codec.bits, payloadBytes: codec.payloadBytes(rows: rows.count),
                                   fileBytes: bytes.count, float32Bytes: rows.count * codec.features * 4, output: outputPath)
    }

    /// The windows of an `.rqf` file as codes, checked against the model (whole windows of its length).
    static func codes(model: SensorStreamModel, modelPath: String, rqfPath: String) throws -> [UInt8] {
        guard let codec = model.codec else { throw FileError(path: modelPath, "a full-precision model has no codes") }
        let data = try BoundedFile.read(rqfPath, limit: FeatureCodeFile.maximumFileSize, what: ".rqf file")
        let codes: [UInt8]
        do {
            codes = try FeatureCodeFile.decode(Array(data), codec: codec, featureNames: model.info.channelNames).codes
        } catch let error as QuantizationError {
            throw FileError(path: rqfPath, error.message)
        }
        let perWindow = model.info.length * codec.features
        guard codes.count % perWindow == 0 else {
            throw FileError(path: rqfPath, "holds \(codes.count / codec.features) samples, not whole windows of \(model.info.length)")
        }
        return codes
    }

    /// Decodes an `.rqf` file into a CSV of each code's representative value: columns `window`, `step`, then the channels.
    public static func decode(model: SensorStreamModel, modelPath: String, rqfPath: String, outputPath: String) throws -> Int {
        try AtomicOutput.refuseOverwriting(inputs: [modelPath, rqfPath], outputs: [outputPath])
        let codes = try codes(model: model, modelPath: modelPath, rqfPath: rqfPath)
        let codec = model.codec!, c = codec.features, length = model.info.length
        let rows = stride(from: 0, to: codes.count, by: c).enumerated().map { sample, start in
            ["\(sample / length + 1)", "\(sample % length + 1)"] + (0..<c).map { "\(codec.levels[$0][Int(codes[start + $0])])" }
        }
        try AtomicOutput.writeOrStream(Array(CSVWriter.text(columns: ["window", "step"] + model.info.channelNames, rows: rows).utf8), to: outputPath)
        return rows.count
    }

    /// Class predictions for an `.rqf` file (server side) or a `.ts` file (through the codec); with the `.ts` file's
    /// labels, also the scores.
    public static func predict(model: SensorStreamModel, modelPath: String, inputPath: String, outputPath: String?) throws
        -> (predictions: [String], scores: SensorStreamScores?) {
        try AtomicOutput.refuseOverwriting(inputs: [modelPath, inputPath], outputs: outputPath.map { [$0] } ?? [])
        var scores: SensorStreamScores?
        let predicted: [Int]
        if inputPath.lowercased().hasSuffix(".rqf") {
            predicted = SensorStreamModel.predictions(model.outputs(codes: try codes(model: model, modelPath: modelPath, rqfPath: inputPath)))
        } else {
            let file = try TimeSeriesFile.read(path: inputPath)
            let data = try read(file, for: model)
            predicted = SensorStreamModel.predictions(model.outputs(windows: data.windows))
            if !file.classLabels.isEmpty {
                scores = SensorStreamScores(accuracy: ClassificationMetrics.accuracy(predictions: predicted, targets: data.labels),
                                            macroF1: ClassificationMetrics.macroF1(predictions: predicted, targets: data.labels))
            }
        }
        let labels = predicted.map { model.info.classLabels[$0] }
        if let outputPath {
            try AtomicOutput.writeOrStream(Array(CSVWriter.text(columns: ["prediction"], rows: labels.map { [$0] }).utf8), to: outputPath)
        }
        return (labels, scores)
    }

    /// A `.ts` file's windows for `model` (labels optional), checked against its channels and window length.
    static func read(_ path: String, for model: SensorStreamModel) throws -> SensorStreamDataset {
        try read(try TimeSeriesFile.read(path: path), for: model)
    }

    static func read(_ file: TimeSeriesFile, for model: SensorStreamModel) throws -> SensorStreamDataset {
        guard file.dimensions == model.info.channelNames.count else {
            throw FileError(path: file.path, "has \(file.dimensions) dimensions, the model \(model.info.channelNames.count)")
        }
        guard file.equalLength == model.info.length else {
            throw FileError(path: file.path, "its windows are not all \(model.info.length) steps long, the model's window")
        }
        if file.classLabels.isEmpty {
            if let i = file.series.firstIndex(where: { $0.contains { $0.contains { $0.isNaN } } }) {
                throw FileError(path: file.path, line: file.lines[i], "has a missing value; fill or drop the case first")
            }
            return SensorStreamDataset(path: file.path, channelNames: model.info.channelNames, classLabels: model.info.classLabels,
                                       windows: file.series, labels: [Int](repeating: 0, count: file.count), length: model.info.length)
        }
        return try SensorStreamDataset(file, classLabels: model.info.classLabels)
    }
}
