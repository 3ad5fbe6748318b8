import ArgumentParser
import Foundation
import RawQuant

struct Detect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Detect objects in raw files with a trained raw detector.")

    @OptionGroup var model: DetectorModelOption

    @Option(help: "Report detections with at least this score.")
    var scoreThreshold: Double = 0.3

    @Flag(help: "Print a JSON array of {file, class, score, box}.")
    var json = false

    @Option(help: "Write NAME.detections.jpg previews with the boxes drawn into this directory.")
    var preview: String?

    @Option(help: "Write NAME.maps.safetensors into this directory: the network input, its heatmap logits, sizes and offsets (F32, NCHW) and, for a model at input scale 1, the sensor's codes — e.g. to compare another framework's forward pass.")
    var maps: String?

    @Option(help: "Write NAME.detections.json (that file's detections, as --json) per input into this directory, each written last, so with --skip-existing a rerun skips every input whose outputs are complete.")
    var output: String?

    @OptionGroup var rawInput: RawInputOptions

    @OptionGroup var batch: BatchInputOptions

    @Argument(help: "Raw files.")
    var files: [String] = []

    func validate() throws {
        guard (0...1).contains(scoreThreshold) else { throw ValidationError("--score-threshold must be in 0...1, got \(scoreThreshold)") }
        if files.isEmpty && batch.filesFrom == nil { throw ValidationError("give raw files, or a list of them with --files-from") }
        if batch.skipExisting && output == nil { throw ValidationError("--skip-existing needs --output DIR (where each input's detections file marks it done)") }
    }

    func run() throws {
        let inputs: [String]
        do { inputs = try batch.inputs(files) } catch { throw Output.failure(error) }
        let detector = try model.load()
        rawInput.warnAboutGuesses(inputs)
        var options = DetectionJobOptions()
        options.scoreThreshold = scoreThreshold
        options.outputDirectory = output
        options.previewDirectory = preview
        options.mapsDirectory = maps
        options.decode = rawInput.decodeOptions
        func outputs(_ input: String) -> [String] { DetectionJob.expectedOutputs(for: input, options: options).sorted { $0.key < $1.key }.map(\.value) }
        var results: [DetectionRecord] = []
        var failed = false, skipped = 0
        for file in inputs {
            if batch.skipExisting, DetectionJob.outputsAreComplete(for: file, options: options) {
                skipped += 1
                if batch.jsonl { BatchInputOptions.emit(BatchInputOptions.line(file: file, status: "skipped", outputs: outputs(file))) }
                continue
            }
            do {
                let found = try DetectionJob.run(detector, input: file, options: options)
                results += found
                if batch.jsonl {
                    BatchInputOptions.emit(BatchInputOptions.line(file: file, status: "ok", outputs: outputs(file)))
                } else if !json {
                    print("\(file): \(found.count) detections")
                    for d in found { print(String(format: "  %@ %.3f [%.1f, %.1f, %.1f, %.1f]", d.class, d.score, d.box[0], d.box[1], d.box[2], d.box[3])) }
                }
            } catch {
                if batch.jsonl { BatchInputOptions.emit(BatchInputOptions.line(file: file, status: "error", outputs: [], error: "\(error)")) } else { Output.error("\(error)") }
                failed = true
            }
        }
        if skipped > 0 && !batch.jsonl { FileHandle.standardError.write(Data("skipped \(skipped) inputs whose outputs are complete\n".utf8)) }
        if json && !batch.jsonl { print(Output.json(results)) }
        if failed { throw ExitCode.failure }
    }
}
