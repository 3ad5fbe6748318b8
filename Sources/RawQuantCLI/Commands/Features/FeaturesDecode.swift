import ArgumentParser
import Foundation
import RawQuant

struct FeaturesDecode: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decode",
        abstract: "Server side: decode an .rqf file into a CSV of each code's representative feature value.")

    @Option(help: "The model that encoded the file.")
    var model: String

    @Argument(help: "Input .rqf file.")
    var input: String

    @Argument(help: "Output CSV ('-': standard output).")
    var output: String

    func run() throws {
        let rows = try Output.running { try FeatureJobs.decode(modelPath: model, rqfPath: input, outputPath: output) }
        Output.report("\(output): \(rows) rows", dataOnStdout: output == "-")
    }
}
