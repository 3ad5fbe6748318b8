import ArgumentParser
import Foundation
import RawQuant

struct FeaturesTable: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "table",
        abstract: "Benchmark methods × bits on a table, repeated on seeded splits: mean ± 95 % interval (Markdown and JSON).")

    @Option(help: "Table: CSV (with a header row, or --no-header) or ARFF (.arff).")
    var data: String

    @OptionGroup var training: FeatureTrainingArguments

    @Option(help: "Methods, comma-separated.")
    var methods = NameList(argument: "fp,minmax,quantile,lsq,gamma,sq,bwsq")!

    @Option(help: "Bit widths, comma-separated.")
    var bits = NumberList<Int>([2, 3, 4, 5, 6, 7, 8])

    @Option(help: "Repeats (seeds 1…R) per cell.")
    var repeats: Int = 5

    @Option(help: "Write the Markdown table here (and the cells as JSON beside it, .json).")
    var out: String?

    @Flag(help: "Keep the other methods' cells from --out's JSON and replace only the methods run now.")
    var update = false

    func validate() throws {
        _ = try Self.methodList(methods)
        guard !bits.values.isEmpty, bits.values.allSatisfy({ (1...8).contains($0) }) else {
            throw ValidationError("--bits must be comma-separated integers in 1...8, got \"\(bits)\"")
        }
        try Limits.check(repeats, Limits.repeats, "repeats")
        if update && out == nil { throw ValidationError("--update needs --out") }
        if let out {
            try Output.refuseOverwriting(input: data, output: out)
            try Output.refuseOverwriting(input: data, output: FeatureTable.cellsPath(forTable: out))
        }
    }

    /// The methods named by a `--methods` list.
    static func methodList(_ methods: NameList) throws -> [FeatureMethod] {
        try methods.names.map { name in
            guard let method = FeatureMethod(argument: name) else {
                throw ValidationError("--methods must name methods of \(FeatureMethod.allCases.map(\.rawValue).joined(separator: ", ")); got \"\(name)\"")
            }
            return method
        }
    }

    func run() throws {
        let options = training.options(method: .fp, bits: 4)
        let widest = try Self.methodList(methods).flatMap { m in bits.values.map { m.valuesPerFeature(bits: $0) } }.max() ?? 1
        let dataset = try training.load(data, options: options, valuesPerFeature: widest)
        let existing = try update ? Output.running { try FeatureTable.readCells(forTable: out!) } : nil
        let started = Date()
        var cells = FeatureBenchmark.run(dataset, methods: try Self.methodList(methods), bits: bits.values, repeats: repeats, options: options,
                                         testFraction: training.testFraction) { print($0) }
        if let existing { cells = FeatureBenchmark.merge(existing, cells) }
        let command = "rawquant " + CommandLine.arguments.dropFirst().joined(separator: " ")
        let markdown = FeatureTable.markdown(cells, dataset: dataset, path: data, bits: bits.values, command: command,
                                             seconds: Date().timeIntervalSince(started), updated: update)
        print(markdown)
        if let out { try Output.running { try FeatureTable.write(markdown: markdown, cells: cells, to: out) } }
    }
}
