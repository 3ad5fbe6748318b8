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

    @OptionGroup var batch: BatchInputOptions

    @Argument(help: "Raw files (DNG, CR2, NEF, ARW, … anything LibRaw reads; with --raw-format, headerless or PNG/TIFF mosaics).")
    var files: [String] = []

    func validate() throws {
        if let jobs { try Limits.check(jobs, Limits.jobs, "jobs") }
        if let previewSize { try Limits.check(previewSize, Limits.previewSide, "preview-size") }
        if files.isEmpty && batch.filesFrom == nil { throw ValidationError("give raw files, or a list of them with --files-from") }
    }

    func run() throws {
        let spec = try quantizerOptions.spec()
        let inputs: [String]
        do { inputs = try batch.inputs(files) } catch { throw Output.failure(error) }
        rawInput.warnAboutGuesses(inputs)
        var options = SimulateOptions(quantizer: spec, outputDirectory: output)
        options.decode = rawInput.decodeOptions
        options.previewMaxSide = previewSize
        let outputs: @Sendable (String) -> [String] = { [options] input in
            SimulationJob.expectedOutputs(for: input, options: options).sorted { $0.key < $1.key }.map(\.value)
        }
        var pending: [String] = []
        for input in inputs {
            if batch.skipExisting, SimulationJob.outputsAreComplete(for: input, options: options) {
                if batch.jsonl { BatchInputOptions.emit(BatchInputOptions.line(file: input, status: "skipped", outputs: outputs(input))) }
            } else {
                pending.append(input)
            }
        }
        let todo = pending, jsonl = batch.jsonl
        if batch.skipExisting, !batch.jsonl, todo.count < inputs.count {
            FileHandle.standardError.write(Data("skipped \(inputs.count - todo.count) inputs whose outputs are complete\n".utf8))
        }
        var failures = 0
        let results = SimulationJob.runAll(paths: todo, options: options, concurrency: jobs ?? ProcessInfo.processInfo.activeProcessorCount) { index, result in
            guard jsonl else { return }
            switch result {
            case .success: BatchInputOptions.emit(BatchInputOptions.line(file: todo[index], status: "ok", outputs: outputs(todo[index])))
            case .failure(let error): BatchInputOptions.emit(BatchInputOptions.line(file: todo[index], status: "error", outputs: [], error: error.description))
            }
        }
        var reports: [SimulationReport] = []
        for result in results {
            switch result {
            case .success(let report): reports.append(report)
            case .failure(let error):
                failures += 1
                if !batch.jsonl { Output.error(error.description) }
            }
        }
        if !batch.jsonl { Output.printReports(reports, json: json, single: inputs.count == 1, text: \.text) }
        if failures > 0 { throw ExitCode.failure }
    }
}
