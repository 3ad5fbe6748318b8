import Foundation
import Detection
import DetectionData
import Support
import Quantization
import TrainableQuantizers

/// The results table (`RESULTS.md`) and plots of an experiment.
public enum ExperimentReport {
    /// Mean and sample standard deviation.
    static func meanStd(_ values: [Double]) -> (Double, Double) {
        let mean = values.reduce(0, +) / Double(max(values.count, 1))
        guard values.count > 1 else { return (mean, 0) }
        return (mean, (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot())
    }

    /// Payload bits per mosaic pixel of a row: N for quantized rows, the ADC depth for raw float,
    /// 24 for 8-bit RGB after demosaicking.
    static func bitsPerPixel(_ row: ExperimentRow, adcBits: Int) -> Int {
        row.quantizer.payloadBitsPerPixel(bits: row.bits, adcBits: adcBits)
    }

    /// The Markdown table with the facts the README needs.
    /// `rows`: the row ids the invocation covered (nil = all), for the list of runs not run yet.
    public static func markdown(_ plan: ExperimentPlan, results: [ExperimentRunResult], adcBits: Int = 12, command: String,
                                machine: String, rows only: Set<String>? = nil) -> String {
        let runSeconds = results.reduce(0) { $0 + $1.trainSeconds }
        let starts = results.compactMap(\.started), ends = results.compactMap(\.finished)
        let threads = Set(results.compactMap(\.threads)).sorted().map(String.init).joined(separator: "/")
        var wall = String(format: "Training time, summed over the %d runs below: %.0f s (%.1f h).", results.count, runSeconds, runSeconds / 3600)
        if let first = starts.min(), let last = ends.max() {
            let elapsed = last.timeIntervalSince(first)
            wall += String(format: " Wall clock from the first run's start to the last run's end (training, validation, test): %.0f s (%.1f h)", elapsed, elapsed / 3600)
                + (threads.isEmpty ? "." : ", \(threads) tensor-core thread(s) per run.")
        }
        var lines = [
            "# Results: do 4 learned bits detect as well as 12?", "",
            "Command: `\(command)`  ", "Machine: \(machine)  ",
            wall + "  ",
            "Dataset: `\(plan.dataset)`; \(plan.seeds.count) seed(s) per row; \(plan.epochs) epochs, batch \(plan.batchSize), width \(plan.width)\(plan.crop.map { ", crops \($0)×\($0)" } ?? "")\(plan.gammaStart == .median ? ", learnable curves started by the median rule" : "")\(plan.codeStep == .noise ? ", curve codes trained through additive noise" : "") for every row.",
            "mAP@0.5 is VOC (all-point) on the test split, mean ± standard deviation over seeds; the dark third is the third of test images with the lowest exposure.", "",
            "| input | bits | mAP@0.5 | dark third mAP@0.5 | AP@[.5:.95] | payload bits/px | MB per 12-Mpx frame | learned γ (R, G, B) | train s/run | img/s |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for row in plan.rows {
            let runs = results.filter { $0.row == row }
            guard !runs.isEmpty else { continue }
            let (m, s) = meanStd(runs.map(\.mAP50)), (dm, ds) = meanStd(runs.map(\.darkMAP50)), (cm, _) = meanStd(runs.map(\.mAP))
            let bpp = bitsPerPixel(row, adcBits: adcBits)
            let gammas = runs.compactMap(\.gammas).map { g in g.map { String(format: "%.2f", $0) }.joined(separator: ", ") }
            lines.append(String(format: "| %@ | %@ | %.3f ± %.3f | %.3f ± %.3f | %.3f | %d | %.1f | %@ | %.0f | %.0f |",
                                row.label, row.bits.map(String.init) ?? "—", m, s, dm, ds, cm, bpp, 12e6 * Double(bpp) / 8 / 1e6,
                                gammas.isEmpty ? "—" : gammas.joined(separator: "; "),
                                meanStd(runs.map(\.trainSeconds)).0, meanStd(runs.map(\.imagesPerSecond)).0))
        }
        if plan.trainingDataset != nil || plan.lowLightExposure != nil {
            lines += realContentTable(plan, results: results)
        }
        let pending = plan.rows.filter { only?.contains($0.id) ?? true }.flatMap { row in
            plan.seeds.filter { seed in !results.contains { $0.row == row && $0.seed == seed } }.map { "\(row.id) seed \($0)" }
        }
        if !pending.isEmpty {
            lines += ["", "**Not run yet** (\(pending.count) runs; the same command without `--report-only` resumes them): "
                      + pending.joined(separator: ", ") + "."]
        }
        lines += ["", "The ISP row's payload is an 8-bit RGB frame at full resolution (24 bits per pixel), what a camera ships today; "
                  + "its network input is the half-resolution superpixel rendering of the same pipeline."]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Per-class AP@0.5 and the low-light column of a real-content plan (mean ± sd over seeds).
    static func realContentTable(_ plan: ExperimentPlan, results: [ExperimentRunResult]) -> [String] {
        var classes: [String] = Array(results.first?.ap50PerClass?.keys ?? [String: Double]().keys).sorted()
        if let i = classes.firstIndex(of: "person") { classes.insert(classes.remove(at: i), at: 0) }
        let range: String = plan.lowLightExposure.map { r in r.map { "2^" + String(format: "%.1f", log2($0)) }.joined(separator: "…") } ?? "—"
        let iso: String = (plan.isoRange ?? [100, 3200]).map { String(format: "%.0f", $0) }.joined(separator: "…")
        let large = classes.first.map { "AP@0.5 " + $0 + " (large) | " } ?? ""
        let header: String = "| input | bits | " + classes.map { "AP@0.5 " + $0 + " | " }.joined() + large + "low-light mAP@0.5 |"
        var lines: [String] = ["", "Per class (AP@0.5 on the test split; \"large\": boxes over 96² pixels, COCO's rule) and low light (the test images re-exposed at " + range
                               + " of their exposure with fresh noise at ISO " + iso + ", the same draws for every row):", "",
                               header, "|---|---|" + String(repeating: "---|", count: classes.count + (large.isEmpty ? 1 : 2))]
        for row in plan.rows {
            let runs = results.filter { $0.row == row }
            guard !runs.isEmpty else { continue }
            var cells = [row.label, row.bits.map(String.init) ?? "—"]
            for name in classes {
                let values = runs.compactMap { $0.ap50PerClass?[name] }
                let (m, s) = meanStd(values)
                cells.append(values.isEmpty ? "—" : String(format: "%.3f ± %.3f", m, s))
            }
            if let first = classes.first {
                let values = runs.compactMap { $0.ap50PerSize?[ObjectSize.large.rawValue]?[first] }
                let (m, s) = meanStd(values)
                cells.append(values.isEmpty ? "—" : String(format: "%.3f ± %.3f", m, s))
            }
            let low = runs.compactMap(\.lowLightMAP50)
            let (lm, ls) = meanStd(low)
            cells.append(low.isEmpty ? "—" : String(format: "%.3f ± %.3f", lm, ls))
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines
    }

    /// The README's compact table: the references and every method at `bits`, with the difference to the
    /// 12-bit float reference.
    public static func summaryMarkdown(_ plan: ExperimentPlan, results: [ExperimentRunResult], bits: Int, adcBits: Int = 12) -> String {
        let reference = results.filter { $0.row.quantizer == .float }.map(\.mAP50)
        let floatMean = reference.isEmpty ? nil : meanStd(reference).0
        var lines = ["| input | bits/px | MB per 12-Mpx frame | mAP@0.5 (± sd, \(plan.seeds.count) seeds) | vs 12-bit | darkest third |",
                     "|---|---|---|---|---|---|"]
        for row in plan.rows where row.bits == nil || row.bits == bits {
            let runs = results.filter { $0.row == row }
            guard !runs.isEmpty else { continue }
            let (m, s) = meanStd(runs.map(\.mAP50)), (dm, _) = meanStd(runs.map(\.darkMAP50))
            let bpp = bitsPerPixel(row, adcBits: adcBits)
            let delta = floatMean.map { row.quantizer == .float ? "—" : String(format: "%+.1f", 100 * (m - $0)) } ?? "—"
            lines.append(String(format: "| %@ | %d | %.1f | %.3f ± %.3f | %@ | %.3f |", row.label, bpp, 12e6 * Double(bpp) / 8 / 1e6, m, s, delta, dm))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// mAP@0.5 against bits, one line per method, references as flat dashed lines.
    public static func bitsPlot(_ plan: ExperimentPlan, results: [ExperimentRunResult]) -> LinePlot {
        let bits = Set(plan.rows.compactMap(\.bits)).sorted()
        var plot = LinePlot(title: "Detection mAP@0.5 against bits per pixel", xLabel: "bits N", yLabel: "mAP@0.5",
                            xRange: Double(bits.first ?? 1)...Double(bits.last ?? 8), yRange: 0...1)
        plot.xTicks = bits.map(Double.init)
        var colour = 0
        let quantizers = plan.rows.map(\.quantizer).reduce(into: [InputRepresentation]()) { if !$0.contains($1) { $0.append($1) } }
        for quantizer in quantizers {
            let rows = plan.rows.filter { $0.quantizer == quantizer }
            var points: [(x: Double, y: Double)] = []
            for row in rows {
                let runs = results.filter { $0.row == row }
                guard !runs.isEmpty else { continue }
                let mean = meanStd(runs.map(\.mAP50)).0
                if let b = row.bits { points.append((Double(b), mean)) } else { points = [(Double(bits.first ?? 1), mean), (Double(bits.last ?? 8), mean)] }
            }
            guard !points.isEmpty else { continue }
            plot.series.append(.init(name: rows[0].label, points: points, color: LinePlot.palette[colour % LinePlot.palette.count],
                                     dashed: rows[0].bits == nil))
            colour += 1
        }
        return plot
    }
}

extension ExperimentReport {
    /// Transfer curves code/(2^N − 1) against normalised linear input x̂ (log axis, 10⁻⁴…1), one series per
    /// (label, quantizer, colour); staircases as the sensor applies them (ADC range black…white at `adcBits`, the
    /// dataset's, which the log curve depends on), fixed (not learned) curves dashed.
    public static func curvesPlot(bits: Int, curves: [(label: String, spec: QuantizerSpec, colorIndex: Int, fixed: Bool)],
                                  black: Int, white: Int, adcBits: Int, samples: Int = 600) -> LinePlot {
        var plot = LinePlot(title: "Transfer curves at \(bits) bits (learned: best validation seed)", xLabel: "normalised raw value x̂",
                            yLabel: "code / (2^N − 1)", xRange: 1e-4...1, yRange: 0...1, logX: true)
        for (index, curve) in curves.enumerated() {
            let quantizer = ChannelQuantizer(spec: curve.spec, colorIndex: curve.colorIndex, black: black, white: white, adcBits: adcBits)
            let top = Double(curve.spec.levels - 1)
            let points = (0..<samples).map { i -> (x: Double, y: Double) in
                let x = pow(10, -4 + 4 * Double(i) / Double(samples - 1))
                let adc = black + Int((x * Double(white - black)).rounded())
                return (x, Double(quantizer.encoder[min(white, adc)]) / top)
            }
            plot.series.append(.init(name: curve.label, points: points, color: LinePlot.palette[index % LinePlot.palette.count],
                                     dashed: curve.fixed))
        }
        return plot
    }
}

extension ExperimentReport {
    /// The learned quantizers chosen on validation data (the quantizer of each row's best validation run).
    public static func winnersMarkdown(_ winners: [ExperimentQuantizers.Winner]) -> String {
        let learned = winners.filter { !$0.isFixed }
        guard !learned.isEmpty else { return "" }
        var lines = ["", "## Learned quantizers", "",
                     "Per row, the seed with the best validation mAP@0.5 (the test split plays no part) and its deploy quantizer.", "",
                     "| row | seed | validation mAP@0.5 | quantizer |", "|---|---|---|---|"]
        for winner in learned {
            lines.append(String(format: "| %@ | %llu | %.3f | %@ |", winner.row.id, winner.seed, winner.validationMAP50, winner.spec.summary))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
