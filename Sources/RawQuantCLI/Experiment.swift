import ArgumentParser
import Foundation
import RawQuant

struct Experiment: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The headline experiment: train and evaluate every input representation × bits × seed; write RESULTS.md and plots. Resumable.")

    @Option(help: "Dataset directory (a `rawquant synth` output: needs dataset.json for exposures).")
    var data: String

    @Option(help: "Output directory (runs, RESULTS.md, plots).")
    var out: String = "experiment"

    @Option(help: "Bit widths, comma-separated.")
    var bits: String = "2,3,4,6,8"

    @Option(help: "Seeds, comma-separated.")
    var seeds: String = "1,2,3"

    @Option(help: "Only these row ids (e.g. float,isp,linear-4,gamma-per-channel-4); default: all.")
    var rows: String?

    @Option(help: "Epochs per run (the same for every row).")
    var epochs: Int = 12

    @Option(help: "Batch size.")
    var batch: Int = 16

    @Option(help: "Network width.")
    var width: Int = 16

    @Option(help: "Random square crop in mosaic pixels (multiple of 16).")
    var crop: Int?

    @Option(help: "How learnable γ starts: given (1.0, as the γ-Quant authors) or median (median training pixel → middle code).")
    var gammaStart: GammaStart = .given

    @Flag(help: "Train nothing: write the report from the runs that have finished (the others are listed as not run yet).")
    var reportOnly = false

    @Option(help: "Also write each quantized row's validation-winning quantizer to DIR/ROW.safetensors.")
    var exportQuantizers: String?

    func run() throws {
        func numbers(_ text: String, _ name: String) throws -> [Int] {
            guard let values: [Int] = Output.numbers(text), values.allSatisfy({ $0 >= 1 }) else {
                throw Output.usage("--\(name) must be comma-separated positive integers, got \"\(text)\"")
            }
            return values
        }
        let bitList = try numbers(bits, "bits"), seedList = try numbers(seeds, "seeds").map(UInt64.init)
        guard bitList.allSatisfy({ (1...8).contains($0) }) else {
            throw Output.usage("--bits must be in 1...8")
        }
        if let crop, crop < 32 || crop % 16 != 0 {
            throw Output.usage("--crop must be a multiple of 16 of at least 32, got \(crop)")
        }
        var plan = ExperimentPlan.standard(dataset: data, bits: bitList, seeds: seedList, epochs: epochs, batchSize: batch, width: width, crop: crop)
        plan.gammaStart = gammaStart
        let selected = rows.map { Set($0.split(separator: ",").map(String.init)) }
        if let selected, let unknown = selected.first(where: { id in !plan.rows.contains { $0.id == id } }) {
            throw Output.usage("unknown row \"\(unknown)\"; rows are \(plan.rows.map(\.id).joined(separator: ", "))")
        }
        do {
            let start = Date()
            let results = try ExperimentRunner.run(plan, outputDirectory: out, rows: selected, trainMissing: !reportOnly) { print($0) }
            let machine = "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB, \(ProcessInfo.processInfo.operatingSystemVersionString)"
            let command = "rawquant " + CommandLine.arguments.dropFirst().filter { $0 != "--report-only" }.joined(separator: " ")
            let winners = try ExperimentQuantizers.winners(plan, outputDirectory: out)
            let report = ExperimentReport.markdown(plan, results: results, command: command, machine: machine, rows: selected)
                + ExperimentReport.winnersMarkdown(winners)
            try AtomicOutput.prepareDirectory(out)
            try AtomicOutput.write(Array(report.utf8), to: out + "/RESULTS.md")
            if plan.bits.contains(4) {
                try AtomicOutput.write(Array(ExperimentReport.summaryMarkdown(plan, results: results, bits: 4).utf8), to: out + "/SUMMARY-4bit.md")
            }
            try AtomicOutput.write(Array(ExperimentReport.bitsPlot(plan, results: results).svg.utf8), to: out + "/map-vs-bits.svg")
            let range = try ExperimentQuantizers.sensorRange(dataset: data)
            for bits in plan.bits where winners.contains(where: { $0.row.bits == bits }) {
                let plot = ExperimentReport.curvesPlot(bits: bits, curves: ExperimentQuantizers.curves(of: winners, bits: bits),
                                                       black: range.black, white: range.white, adcBits: range.adcBits)
                try AtomicOutput.write(Array(plot.svg.utf8), to: "\(out)/transfer-curves-\(bits)bit.svg")
            }
            if let exportQuantizers {
                try AtomicOutput.prepareDirectory(exportQuantizers)
                for winner in winners where !winner.isFixed {
                    try QuantizerFile.write(winner.spec, to: "\(exportQuantizers)/\(winner.row.id).safetensors",
                                            metadata: ["source": "\(out)/runs/\(winner.row.id)/seed-\(winner.seed)/best.safetensors",
                                                       "validationMAP50": String(winner.validationMAP50)])
                }
            }
            print(report)
            print(String(format: "this invocation: %.0f s; wrote %@/RESULTS.md and %@/map-vs-bits.svg", Date().timeIntervalSince(start), out, out))
        } catch {
            throw Output.failure(error)
        }
    }
}
