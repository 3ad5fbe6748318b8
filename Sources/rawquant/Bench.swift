import ArgumentParser
import RawQuant

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks that print ratios against a peer measured in the same run.",
        subcommands: [BenchSimulate.self])
}

struct BenchSimulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Time LibRaw's unpack, quantize+pack, and the whole simulate on one file; peak memory.")

    @OptionGroup var quantizerOptions: QuantizerOptions

    @Option(help: "Runs per measurement (the median is reported).")
    var runs: Int = 5

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Argument(help: "A raw file.")
    var file: String

    func run() throws {
        let spec = try quantizerOptions.spec()
        do {
            let result = try SimulateBenchmark.run(path: file, spec: spec, runs: runs)
            print(json ? Output.json(result) : result.text)
        } catch {
            Output.error("\(error)")
            throw ExitCode.failure
        }
    }
}
