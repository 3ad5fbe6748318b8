import ArgumentParser
import Foundation
import RawQuant

/// Batch-run options for commands over many inputs (`simulate`, `detect`): a file list, a stable shard of it, skipping
/// inputs already done, and one JSON line per input — what a job array or a Dask map needs.
struct BatchInputOptions: ParsableArguments {
    @Option(help: "Read more input paths from this file, one per line ('-' = standard input; blank lines skipped).")
    var filesFrom: String?

    @Option(help: "Take only shard K of N of the inputs (e.g. 3/8): a stable partition by path, the same on every machine.")
    var shard: String?

    @Flag(help: "Skip an input whose outputs are complete (simulate: its manifest lists every output at its size; detect: its --output detections file, written last, exists); partial outputs are redone.")
    var skipExisting = false

    @Flag(help: "Print one JSON line per input instead of the report: file, status (ok, skipped or error), outputs, error.")
    var jsonl = false

    func validate() throws {
        if let shard {
            do { _ = try BatchSelection.Shard(parsing: shard) } catch let error as FileError { throw ValidationError(error.message) }
        }
    }

    /// The inputs: the arguments, then the list's paths, restricted to the shard.
    func inputs(_ arguments: [String]) throws -> [String] {
        var paths = arguments
        if let filesFrom { paths += try BatchSelection.readList(filesFrom) }
        guard let shard else { return paths }
        let selected = try BatchSelection.Shard(parsing: shard)
        return paths.filter(selected.contains)
    }

    /// Writes a JSON line to standard output at once (unbuffered, so a killed worker has printed every finished input).
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// One JSON line: `{"error":…,"file":…,"outputs":[…],"status":…}` (keys sorted, no error key when none).
    static func line(file: String, status: String, outputs: [String], error: String? = nil) -> String {
        struct Line: Encodable { var file: String; var status: String; var outputs: [String]; var error: String? }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(Line(file: file, status: status, outputs: outputs, error: error)),
              let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }
}
