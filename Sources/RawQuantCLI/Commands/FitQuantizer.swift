import ArgumentParser
import Foundation
import RawQuant

struct FitQuantizer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit-quantizer",
        abstract: "Fit per-colour γ and Bw-SQ thresholds to a raw file (log-domain reconstruction), compare with linear and γ = 1/2.2, plot the curves.")

    @Option(help: "Output bits, 1...8.")
    var bits: Int = 4

    @Option(help: "Random pixels per colour plane used for fitting (and as many held out).")
    var samples: Int = 32768

    @Option(help: "Gradient steps.")
    var steps: Int = 400

    @Option(help: "Seed for the pixel sampling.")
    var seed: UInt64 = 1

    @Option(help: "Directory for the quantizer files and the plot.")
    var output: String = "."

    @Flag(help: "Print the report as JSON.")
    var json = false

    @OptionGroup var rawInput: RawInputOptions

    @Argument(help: "A raw file.")
    var file: String

    func validate() throws {
        guard (1...8).contains(bits) else { throw ValidationError("--bits must be in 1...8, got \(bits)") }
        try Limits.check(samples, Limits.fitSamples, "samples")
        try Limits.check(steps, Limits.steps, "steps")
    }

    func run() throws {
        var options = QuantizerFitJob.Options(outputDirectory: output)
        options.bits = bits
        options.samplesPerChannel = samples
        options.steps = steps
        options.seed = seed
        options.decode = rawInput.decodeOptions
        rawInput.warnAboutGuesses([file])
        do {
            let report = try QuantizerFitJob.run(path: file, options: options)
            print(json ? Output.json(report) : report.text)
        } catch {
            throw Output.failure(error)
        }
    }

}
