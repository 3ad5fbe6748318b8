import ArgumentParser
import Foundation
import RawQuant

struct FeaturesEncode: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "encode",
        abstract: "Device side: encode a CSV's feature columns into N-bit codes (.rqf) with a trained model's quantizer.")

    @Option(help: "Trained model (.safetensors from `features train --out`).")
    var model: String

    @Flag(help: "Report as JSON.")
    var json = false

    @Flag(help: "The CSV has no header row: its columns are named 1, 2, … by position (a model trained with --no-header).")
    var noHeader = false

    @Argument(help: "CSV with the model's feature columns (other columns are ignored; '-': standard input).")
    var input: String

    @Argument(help: "Output .rqf file ('-': standard output).")
    var output: String

    func run() throws {
        let report = try Output.running { try FeatureJobs.encode(modelPath: model, csvPath: input, outputPath: output, header: !noHeader) }
        if json {
            Output.report(Output.json(report), dataOnStdout: output == "-")
        } else {
            Output.report(String(format: "%@: %d rows × %d features at %d bits = %d payload bytes (%d in the file; %d as 32-bit floats, ×%.1f)",
                         output, report.rows, report.features, report.bits, report.payloadBytes, report.fileBytes, report.float32Bytes,
                         Double(report.float32Bytes) / Double(max(report.payloadBytes, 1))), dataOnStdout: output == "-")
        }
    }
}
