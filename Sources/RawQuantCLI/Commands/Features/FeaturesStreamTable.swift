import ArgumentParser
import Foundation
import RawQuant

struct FeaturesStreamTable: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stream-table",
        abstract: "Benchmark quantizers × bits on sensor-stream windows (.ts), seeds 1…R: accuracy and macro-F1, mean ± 95 % interval (Markdown and JSON).")

    @OptionGroup var training: StreamTrainingArguments

    @Option(help: "Methods, comma-separated.")
    var methods = NameList(argument: "fp,minmax,gamma-global,gamma,lsq,bwsq")!

    @Option(help: "Bit widths, comma-separated.")
    var bits = NumberList<Int>([2, 3, 4, 8])

    @Option(help: "Seeds 1…R per cell.")
    var repeats: Int = 5

    @Option(help: "Write the Markdown table here (and the cells as JSON beside it, .json).")
    var out: String?

    func validate() throws {
        _ = try FeaturesTable.methodList(methods)
        guard !bits.values.isEmpty, bits.values.allSatisfy({ (1...8).contains($0) }) else {
            throw ValidationError("--bits must be comma-separated integers in 1...8, got \"\(bits)\"")
        }
        try Limits.check(repeats, Limits.repeats, "repeats")
        if let out {
            for input in [training.train, training.test] {
                try Output.refuseOverwriting(input: input, output: out)
                try Output.refuseOverwriting(input: input, output: FeatureTable.cellsPath(forTable: out))
            }
        }
    }

    func run() throws {
        let (train, test) = try training.load()
        let started = Date()
        let cells = SensorStreamJobs.benchmark(train: train, test: test, methods: try FeaturesTable.methodList(methods), bits: bits.values,
                                               repeats: repeats, options: training.options(method: .fp, bits: 4)) { print($0) }
        let command = "rawquant " + CommandLine.arguments.dropFirst().joined(separator: " ")
        let markdown = SensorStreamJobs.markdown(cells, train: train, test: test, command: command, seconds: Date().timeIntervalSince(started))
        print(markdown)
        if let out {
            try Output.running { try FeatureTable.write(markdown: markdown, cells: cells, to: out) }
        }
    }
}
