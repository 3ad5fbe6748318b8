import ArgumentParser
import Benchmarks
import RawQuant

struct BenchDetectorStep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detector-step",
        abstract: "The real-content detector's training step (4-bit γ + CenterNet, AdamW): median ms and images per second.")

    @Option(help: "Threads (default: min(cores, 2)).")
    var threads: Int = TensorRuntime.defaultThreads

    @Option(help: "Batch size.")
    var batch: Int = 8

    @Option(help: "Mosaic side in pixels (a multiple of 32).")
    var size: Int = 256

    @Option(help: "Network width.")
    var width: Int = 16

    @Option(help: "Deep stages (0, 1 or 2).")
    var deepStages: Int = 2

    @Option(help: "Timed steps.")
    var steps: Int = 10

    func validate() throws {
        try Limits.check(threads, Limits.threads, "threads")
        try Limits.check(batch, 1...256, "batch")
        try Limits.check(steps, Limits.steps, "steps")
        try Limits.check(width, Limits.width, "width")
        try Limits.check(deepStages, 0...2, "deep-stages")
        guard (64...2048).contains(size), size % 32 == 0 else { throw ValidationError("--size must be a multiple of 32 in 64...2048, got \(size)") }
    }

    func run() throws {
        print(try Output.running { try runDetectorStepBenchmark(threads: threads, batch: batch, size: size, width: width, deepStages: deepStages, steps: steps) })
    }
}
