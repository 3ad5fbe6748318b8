import ArgumentParser
import Foundation
import RawQuant

struct FeaturesStreamTrain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stream-train",
        abstract: "Train a per-channel quantizer and a 1-D CNN jointly on sensor-stream windows (.ts); report test accuracy, macro-F1 and bytes per second.")

    @OptionGroup var training: StreamTrainingArguments

    @Option(help: "Bits per sample value, 1...8.")
    var bits: Int = 4

    @Option(help: "Quantizer per sensor channel, shared over time: bwsq, sq, minmax (linear), quantile, lsq, gamma (per channel), gamma-global, or fp.")
    var method: FeatureMethod = .bwsq

    @Option(help: "Seed of the initialisation, the batches and the shifts.")
    var seed: UInt64 = 1

    @Option(help: "Write the trained model here (.safetensors); `features encode/decode/predict` take it with .ts files.")
    var out: String?

    @Flag(help: "Report as JSON.")
    var json = false

    func validate() throws {
        guard (1...8).contains(bits) else { throw ValidationError("--bits must be in 1...8, got \(bits)") }
        if let out {
            try Output.refuseOverwriting(input: training.train, output: out)
            try Output.refuseOverwriting(input: training.test, output: out)
        }
    }

    func run() throws {
        let (train, test) = try training.load()
        var options = training.options(method: method, bits: bits)
        options.seed = seed
        let (report, model) = SensorStreamJobs.train(train, test: test, options: options)
        if let out { try Output.running { try SensorStreamModelFile.write(model, to: out) } }
        if json {
            print(Output.json(report))
        } else {
            print(String(format: "%@: %@ %d-bit per channel: test accuracy %.4f, macro-F1 %.4f on %d windows", training.test, method.rawValue,
                         report.bits, report.testAccuracy, report.testMacroF1, report.testCases))
            print(String(format: "%d bits per sample (%d channels)%@, %.1f s%@", report.bitsPerSample, report.channels,
                         report.bytesPerSecond.map { String(format: ", %.1f bytes/s", $0) } ?? "", report.trainingSeconds, out.map { ", model \($0)" } ?? ""))
        }
    }
}
