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
        guard threads >= 1, batch >= 1, steps >= 1 else { throw ValidationError("--threads, --batch and --steps must be at least 1") }
    }

    func run() throws {
        print(runReferenceNetBenchmark(threads: threads, batch: batch, steps: steps))
    }
}
