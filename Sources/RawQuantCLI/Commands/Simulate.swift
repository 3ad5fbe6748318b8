import ArgumentParser
import Foundation
import RawQuant

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Quantize raw files as a low-bit sensor would; write name.qN.rqm, name.qN.dng, name.qN.jpg and a report.")

    @OptionGroup var quantizerOptions: QuantizerOptions

    @Option(help: "Directory for the outputs (created if missing; default: beside each input).")
    var output: String?

    @Flag(help: "Report as JSON: one object per file (an array when several files).")
    var json = false

    @Option(help: "Files processed at once (default: the number of cores).")
    var jobs: Int?

    @Option(help: "Longest side of the preview JPEG in pixels, by an integer box downscale (default: full size).")
    var previewSize: Int?

    @OptionGroup var rawInput: RawInputOptions

    @Argument(help: "Raw files (DNG, CR2, NEF, ARW, … anything LibRaw reads; with --raw-format, headerless or PNG/TIFF mosaics).")
    var files: [String]

    func validate() throws {
        if let jobs { try Limits.check(jobs, Limits.jobs, "jobs") }
        if let previewSize { try Limits.check(previewSize, Limits.previewSide, "preview-size") }
    }

    func run() throws {
        let spec = try quantizerOptions.spec()
        rawInput.warnAboutGuesses(files)
        var options = SimulateOptions(quantizer: spec, outputDirectory: output)
        options.decode = rawInput.decodeOptions
        options.previewMaxSide = previewSize
        let results = SimulationJob.runAll(paths: files, options: options,
                                           concurrency: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        var reports: [SimulationReport] = []
        for result in results {
            switch result {
            case .success(let report): reports.append(report)
            case .failure(let error): Output.error(error.description)
            }
        }
        Output.printReports(reports, json: json, single: files.count == 1, text: \.text)
        if reports.count < files.count { throw ExitCode.failure }
    }
}
