import ArgumentParser

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks that print ratios against a peer measured in the same run.",
        subcommands: [BenchSimulate.self, BenchUnprocess.self, BenchDetect.self, BenchTrainStep.self, BenchDetectorStep.self])
}
