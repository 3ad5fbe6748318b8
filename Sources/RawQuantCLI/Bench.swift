import ArgumentParser
import RawQuant
import Benchmarks

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks that print ratios against a peer measured in the same run.",
        subcommands: [BenchSimulate.self, BenchDetect.self, BenchTrainStep.self])
}

struct BenchSimulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Time LibRaw's unpack, quantize+pack, and the whole simulate on one file; peak memory.")

    @OptionGroup var quantizerOptions: QuantizerOptions

    @Option(help: "Runs per measurement (the median is reported).")
    var runs: Int = 5

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Argument(help: "A raw file.")
    var file: String

    func run() throws {
        let spec = try quantizerOptions.spec()
        do {
            let result = try SimulateBenchmark.run(path: file, spec: spec, runs: runs)
            print(json ? Output.json(result) : result.text)
        } catch {
            throw Output.failure(error)
        }
    }
}

struct BenchDetect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Detector inference time per 256×256 and per 12-Mpx (4000×3000) raw, on one and two threads.")

    @Option(help: "A detector checkpoint (default: the bundled model).")
    var model: String?

    @Option(help: "Runs per measurement (the median is reported).")
    var runs: Int = 5

    func run() throws {
        let detector = try loadDetector(model)
        for (width, height, runs) in [(256, 256, max(runs, 1)), (4000, 3000, max(1, runs / 2))] {
            for threads in [1, 2] {
                let r = DetectionBenchmark.run(detector, width: width, height: height, threads: threads, runs: runs)
                print(String(format: "detect-ms %dx%d threads %d: %.1f", r.width, r.height, r.threads, r.milliseconds))
            }
        }
    }
}

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

    func run() throws {
        guard threads >= 1, batch >= 1, steps >= 1 else {
            throw Output.usage("--threads, --batch and --steps must be at least 1")
        }
        print(runReferenceNetBenchmark(threads: threads, batch: batch, steps: steps))
    }
}
