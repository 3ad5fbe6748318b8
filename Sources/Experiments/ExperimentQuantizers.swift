import DetectionData
import Detection
import Foundation
import Quantization
import RawIO
import TrainableQuantizers
import Support

/// The learned quantizers of an experiment's runs, chosen on validation data only.
public enum ExperimentQuantizers {
    /// The directory of one run: `OUT/runs/ROW/seed-S`.
    public static func runDirectory(_ outputDirectory: String, row: ExperimentRow, seed: UInt64) -> String {
        "\(outputDirectory)/runs/\(row.id)/seed-\(seed)"
    }

    /// The highest validation mAP@0.5 in a run's `training.csv` (column `val_map50`), nil if unreadable.
    public static func bestValidationMAP50(runDirectory: String) -> Double? {
        guard let data = FileManager.default.contents(atPath: runDirectory + "/training.csv") else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard let header = lines.first?.split(separator: ","), let column = header.firstIndex(of: "val_map50") else { return nil }
        return lines.dropFirst().compactMap { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            return column < fields.count ? Double(fields[column]) : nil
        }.max()
    }

    /// The seed of `row` with the best validation mAP@0.5 and the deploy quantizer of its best checkpoint
    /// (the one that was evaluated), read from the run's `result.json` or else the checkpoint; nil for rows
    /// without a deploy quantizer (float, ISP) or without runs.
    public static func validationWinner(_ row: ExperimentRow, seeds: [UInt64], outputDirectory: String) throws
        -> (seed: UInt64, validationMAP50: Double, spec: QuantizerSpec)?
    {
        let scored = seeds.compactMap { seed -> (UInt64, Double)? in
            bestValidationMAP50(runDirectory: runDirectory(outputDirectory, row: row, seed: seed)).map { (seed, $0) }
        }
        guard let (seed, score) = scored.max(by: { ($0.1, $1.0) < ($1.1, $0.0) }) else { return nil }
        let directory = runDirectory(outputDirectory, row: row, seed: seed)
        let saved = FileManager.default.contents(atPath: directory + "/result.json")
            .flatMap { try? JSONDecoder().decode(ExperimentRunResult.self, from: $0) }?.deploySpec
        guard let spec = saved ?? ExperimentRunner.bestDeploySpec(directory: directory) else { return nil }
        return (seed, score, spec)
    }
}

extension ExperimentQuantizers {
    /// One row's quantizer as chosen on validation data.
    public struct Winner: Sendable {
        public var row: ExperimentRow
        public var seed: UInt64
        public var validationMAP50: Double
        public var spec: QuantizerSpec
        /// Linear, log and fixed γ have no learned parameters.
        public var isFixed: Bool { row.quantizer.isFixedCurve }
    }

    /// The sensor range of the dataset's first training image: black level (of the first CFA position), white
    /// level and ADC depth.
    public static func sensorRange(dataset: String) throws -> (black: Int, white: Int, adcBits: Int) {
        let training = try DatasetLoader.load(directory: dataset, split: "train")
        guard let first = training.images.first else { throw FileError(path: dataset, "the train split is empty") }
        let image = try RawDecoder.decode(path: first.rawPath)
        return (image.blackLevels[0], image.whiteLevel, image.adcBits)
    }

    /// The validation winner of every quantized row of the plan that has finished runs, in plan order.
    public static func winners(_ plan: ExperimentPlan, outputDirectory: String) throws -> [Winner] {
        try plan.rows.filter { $0.bits != nil }.compactMap { row in
            try validationWinner(row, seeds: plan.seeds, outputDirectory: outputDirectory)
                .map { Winner(row: row, seed: $0.seed, validationMAP50: $0.validationMAP50, spec: $0.spec) }
        }
    }

    /// The curves of ``ExperimentReport/curvesPlot(bits:curves:black:white:adcBits:samples:)`` for the winners at `bits`: the three
    /// colours of per-colour γ, the green channel of the others.
    public static func curves(of winners: [Winner], bits: Int) -> [(label: String, spec: QuantizerSpec, colorIndex: Int, fixed: Bool)] {
        winners.filter { $0.row.bits == bits }.flatMap { winner -> [(label: String, spec: QuantizerSpec, colorIndex: Int, fixed: Bool)] in
            if winner.row.quantizer == .gammaPerColor && winner.spec.gammas.count == 3 {
                return ["R", "G", "B"].enumerated().map { ("learned γ, \($0.element)", winner.spec, $0.offset, false) }
            }
            let perColour = (winner.spec.thresholds?.count ?? winner.spec.steps?.count ?? winner.spec.gammas.count) == 3
            return [(winner.row.label + (perColour ? " G" : ""), winner.spec, 1, winner.isFixed)]
        }
    }
}
