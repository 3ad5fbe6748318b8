import Foundation
import Quantization
import Support

/// Writes an experiment's report files from its finished runs: `RESULTS.md` (the table and the
/// validation-chosen quantizers), `SUMMARY-4bit.md` (when the plan has 4 bits), `map-vs-bits.svg`,
/// `transfer-curves-Nbit.svg` per bit width with winners, and optionally each learned winner's quantizer file.
public enum ExperimentOutputs {
    /// Writes the report of `results` into `outputDirectory` (atomically, file by file) and returns the
    /// Markdown of `RESULTS.md`. `rows`: the row ids this invocation covered (nil = all). `exportQuantizers`:
    /// a directory for `ROW.safetensors` of every learned row's validation winner.
    @discardableResult
    public static func write(_ plan: ExperimentPlan, results: [ExperimentRunResult], outputDirectory out: String,
                             command: String, machine: String, rows: Set<String>? = nil,
                             exportQuantizers: String? = nil) throws -> String {
        let winners = try ExperimentQuantizers.winners(plan, outputDirectory: out)
        let report = ExperimentReport.markdown(plan, results: results, command: command, machine: machine, rows: rows)
            + ExperimentReport.winnersMarkdown(winners)
        try AtomicOutput.prepareDirectory(out)
        try AtomicOutput.write(Array(report.utf8), to: out + "/RESULTS.md")
        if plan.bits.contains(4) {
            try AtomicOutput.write(Array(ExperimentReport.summaryMarkdown(plan, results: results, bits: 4).utf8), to: out + "/SUMMARY-4bit.md")
        }
        try AtomicOutput.write(Array(ExperimentReport.bitsPlot(plan, results: results).svg.utf8), to: out + "/map-vs-bits.svg")
        let range = try ExperimentQuantizers.sensorRange(dataset: plan.dataset)
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
        return report
    }

    /// The machine line of the report: cores, memory and operating system.
    public static var machineDescription: String {
        let info = ProcessInfo.processInfo
        return "\(info.activeProcessorCount) cores, \(info.physicalMemory / 1_073_741_824) GiB, \(info.operatingSystemVersionString)"
    }
}
