import ArgumentParser
import Foundation
import RawQuant

struct FeaturesSynth: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "synth",
        abstract: "Write a generated benchmark table: friedman1/2/3, hastie, lognormal, or motion (3-axis accelerometer windows).")

    @Option(help: "Generator: \(GeneratedTableKind.allValueStrings.joined(separator: ", ")).")
    var kind: GeneratedTableKind

    @Option(help: "Rows (windows for motion).")
    var rows: Int

    @Option(help: "Seed: the same seed gives the same bytes.")
    var seed: UInt64 = 1

    @Option(help: "Samples per motion window (50 Hz).")
    var samples: Int = 64

    @Option(help: "Output CSV.")
    var out: String

    func validate() throws {
        try Limits.check(rows, Limits.tableRows, "rows")
        try Limits.check(samples, Limits.motionSamples, "samples")
        if case .motion = kind, rows * samples > 100_000_000 {
            throw ValidationError("--rows × --samples must be at most 100000000 readings, got \(rows * samples)")
        }
    }

    func run() throws {
        let text: String
        switch kind {
        case .motion:
            let table = MotionWindows.table(windows: rows, samples: samples, seed: seed)
            text = CSVWriter.text(columns: table.columns, rows: table.rows)
        case .generator(let generator):
            let table = generator.rows(count: rows, seed: seed)
            text = CSVWriter.text(columns: table.columns, numbers: table.rows)
        }
        try Output.running { try CSVWriter.write(text, to: out) }
        print("\(out): \(rows) rows")
    }
}
