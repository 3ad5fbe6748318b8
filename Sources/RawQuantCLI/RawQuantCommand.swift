import ArgumentParser

@main
struct RawQuantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rawquant",
        abstract: "Learnable low-bit quantization of raw Bayer data for machine vision.",
        subcommands: [Inspect.self, Simulate.self, Synth.self, InspectQuantizer.self, FitQuantizer.self, Train.self, Detect.self, Eval.self, Experiment.self, Features.self, Bench.self]
    )
}
