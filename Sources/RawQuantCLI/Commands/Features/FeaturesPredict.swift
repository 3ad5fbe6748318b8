import ArgumentParser
import Foundation
import RawQuant

struct FeaturesPredict: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "predict",
        abstract: "Server side: predict from an .rqf file (codes) or a CSV (encoded on the way); scores when the CSV has the target.")

    @Option(help: "Trained model.")
    var model: String

    @Option(help: "Write predictions here (CSV, one column; '-': standard output).")
    var out: String?

    @Flag(help: "Report as JSON.")
    var json = false

    @Flag(help: "The CSV has no header row: its columns are named 1, 2, … by position (a model trained with --no-header).")
    var noHeader = false

    @Argument(help: "Input: an .rqf file or a CSV.")
    var input: String

    func run() throws {
        let (predictions, scores) = try Output.running { try FeatureJobs.predict(modelPath: model, inputPath: input, outputPath: out, header: !noHeader) }
        struct Report: Encodable { var rows: Int; var scores: FeatureScores?; var predictions: [String]? }
        if json {
            Output.report(Output.json(Report(rows: predictions.count, scores: scores, predictions: out == nil ? predictions : nil)), dataOnStdout: out == "-")
        } else {
            if out == nil { predictions.forEach { print($0) } }
            if let scores {
                let text = scores.mse.map { String(format: "MSE %.4f (standardised), RMSE %.4g", $0, scores.rmse ?? .nan) }
                    ?? String(format: "accuracy %.4f", scores.accuracy ?? .nan)
                FileHandle.standardError.write(Data("\(input): \(predictions.count) rows, \(text)\n".utf8))
            }
        }
    }
}
