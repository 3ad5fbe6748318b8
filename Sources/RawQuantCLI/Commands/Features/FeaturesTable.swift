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

    @Option(help: "Repeats (seeds 1…R) per cell (default: 5; 10 with --protocol paper).")
    var repeats: Int?

    @Option(help: "standard: R seeded hold-out splits per cell with the given settings; paper: the feature paper's protocol (one 10 % test split, a search on CV folds per cell, the best retrained with R seeds; --test-fraction is 0.1).")
    var `protocol`: TableProtocol = .standard

    @Option(help: "With --protocol paper: candidate settings per cell (the given settings first, then seeded draws).")
    var searchSettings: Int = 3

    @Option(help: "With --protocol paper: cross-validation folds of the search.")
    var searchFolds: Int = 2

    @Flag(help: "With --protocol paper: keep the cells already in --out's JSON and run only the missing ones (the table is saved after every cell).")
    var resume = false

    @Option(help: "Write the Markdown table here (and the cells as JSON beside it, .json).")
    var out: String?

    @Option(help: "Rows a device produces per second (e.g. 0.1 for one feature row per 10-s window): the table then gives the bytes per second it sends at each width.")
    var rowsPerSecond: Double?

    @Flag(help: "Keep the other methods' cells from --out's JSON and replace only the methods run now.")
    var update = false

    func validate() throws {
        _ = try Self.methodList(methods)
        guard !bits.values.isEmpty, bits.values.allSatisfy({ (1...8).contains($0) }) else {
            throw ValidationError("--bits must be comma-separated integers in 1...8, got \"\(bits)\"")
        }
        if let repeats { try Limits.check(repeats, Limits.repeats, "repeats") }
        if let rowsPerSecond { guard rowsPerSecond > 0 && rowsPerSecond <= 1e9 else { throw ValidationError("--rows-per-second must be in (0, 1e9], got \(rowsPerSecond)") } }
        if update && out == nil { throw ValidationError("--update needs --out") }
        if `protocol` == .paper && training.groupColumn != nil { throw ValidationError("--group-column is for the standard protocol (hold-out splits)") }
        if resume && (out == nil || `protocol` != .paper) { throw ValidationError("--resume needs --protocol paper and --out") }
        if update && `protocol` == .paper { throw ValidationError("--update is for the standard protocol; --protocol paper resumes with --resume") }
        try Limits.check(searchSettings, 1...100, "search-settings")
        try Limits.check(searchFolds, Limits.folds, "search-folds")
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
        if `protocol` == .paper { return try runPaperProtocol() }
        let options = training.options(method: .fp, bits: 4)
        let widest = try Self.methodList(methods).flatMap { m in bits.values.map { m.valuesPerFeature(bits: $0) } }.max() ?? 1
        let dataset = try training.load(data, options: options, valuesPerFeature: widest)
        let existing = try update ? Output.running { try FeatureTable.readCells(forTable: out!) } : nil
        let started = Date()
        var cells = FeatureBenchmark.run(dataset, methods: try Self.methodList(methods), bits: bits.values, repeats: repeats ?? 5, options: options,
                                         testFraction: training.testFraction) { print($0) }
        if let existing { cells = FeatureBenchmark.merge(existing, cells) }
        let command = "rawquant " + CommandLine.arguments.dropFirst().joined(separator: " ")
        let markdown = FeatureTable.markdown(cells, dataset: dataset, path: data, bits: bits.values, command: command,
                                             seconds: Date().timeIntervalSince(started), updated: update, rowsPerSecond: rowsPerSecond)
        print(markdown)
        if let out { try Output.running { try FeatureTable.write(markdown: markdown, cells: cells, to: out) } }
    }

    /// `--protocol paper`: ``PaperProtocol``, saving the table after every cell.
    private func runPaperProtocol() throws {
        let options = training.options(method: .fp, bits: 4)
        let methodList = try Self.methodList(methods)
        let widest = methodList.flatMap { m in bits.values.map { m.valuesPerFeature(bits: $0) } }.max() ?? 1
        let dataset = try training.load(data, options: options, valuesPerFeature: widest)
        var paper = PaperProtocol()
        paper.repeats = repeats ?? 10
        paper.settings = searchSettings
        paper.folds = searchFolds
        let existing: [PaperProtocol.Cell] = try resume && FileManager.default.fileExists(atPath: FeatureTable.cellsPath(forTable: out!))
            ? Output.running { try FeatureTable.readPaperCells(forTable: out!) } : []
        let command = "rawquant " + CommandLine.arguments.dropFirst().joined(separator: " ")
        let cells = try paper.run(dataset, methods: methodList, bits: bits.values, base: options, existing: existing, log: { print($0) }) { cells in
            if let out {
                let markdown = paper.markdown(cells, dataset: dataset, path: data, bits: bits.values, command: command)
                try Output.running { try FeatureTable.write(markdown: markdown, cells: cells, to: out) }
            }
        }
        print(paper.markdown(cells, dataset: dataset, path: data, bits: bits.values, command: command))
    }
}

/// `features table --protocol`.
enum TableProtocol: String, CaseIterable, ExpressibleByArgument {
    case standard, paper
}
