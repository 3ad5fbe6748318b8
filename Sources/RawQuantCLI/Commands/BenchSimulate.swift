import ArgumentParser
import Benchmarks
import RawQuant

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

    func validate() throws {
        try Limits.check(runs, Limits.runs, "runs")
    }

    func run() throws {
        let spec = try quantizerOptions.spec()
        do {
            let result = try SimulateBenchmark.run(path: file, spec: spec, runs: runs)
            print(json ? Output.json(result) : result.text)
        } catch {
            throw Output.failure(error)
        }
    }
}
