import ArgumentParser
import Benchmarks
import RawQuant

struct BenchTrainStep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-step",
        abstract: "The tensor core's reference net (5 conv-BN-ReLU + 1×1, input 16×4×128×128, SGD): median ms per training step and per forward.")

    @Option(help: "Threads (default: min(cores, 2)).")
    var threads: Int = TensorRuntime.defaultThreads

    @Option(help: "Batch size.")
    var batch: Int = 16

    @Option(help: "Timed steps.")
    var steps: Int = 20

    func validate() throws {
        try Limits.check(threads, Limits.threads, "threads")
        try Limits.check(batch, 1...256, "batch")
        try Limits.check(steps, Limits.steps, "steps")
    }

    func run() throws {
        print(runReferenceNetBenchmark(threads: threads, batch: batch, steps: steps))
    }
}
