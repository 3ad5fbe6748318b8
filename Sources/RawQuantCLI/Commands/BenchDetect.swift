import ArgumentParser
import Benchmarks
import RawQuant

struct BenchDetect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Detector inference time per 256×256 and per 12-Mpx (4000×3000) raw, on one and two threads.")

    @OptionGroup var model: DetectorModelOption

    @Option(help: "Runs per measurement (the median is reported; half as many, at least 1, beyond 1 Mpx).")
    var runs: Int = 5

    @Option(help: "Mosaic sizes WIDTHxHEIGHT, comma-separated (even sides).")
    var sizes = "256x256,4000x3000"

    @Flag(help: "Time the network alone on its input for each size (as a PyTorch twin's forward is timed), instead of the whole detect.")
    var networkOnly = false

    func validate() throws {
        try Limits.check(runs, Limits.runs, "runs")
        _ = try sizeList()
    }

    /// The sizes of `--sizes`.
    private func sizeList() throws -> [Size] {
        try sizes.split(separator: ",").map { text in
            guard let size = Size(argument: String(text)), size.width % 2 == 0, size.height % 2 == 0,
                  size.width <= 16384, size.height <= 16384 else {
                throw ValidationError("--sizes must be comma-separated WIDTHxHEIGHT with even sides up to 16384, got \"\(text)\"")
            }
            return size
        }
    }

    func run() throws {
        let detector = try model.load()
        for size in try sizeList() where networkOnly {
            let repeats = size.width * size.height > 1 << 20 ? max(1, runs / 2) : runs
            let shape = DetectionBenchmark.networkInputShape(detector, width: size.width, height: size.height)
            print("network-input \(size.width)x\(size.height): \(shape.channels)x\(shape.height)x\(shape.width)")
            for threads in [1, 2] {
                let r = DetectionBenchmark.runNetwork(detector, width: size.width, height: size.height, threads: threads, runs: repeats, fast: true)
                let m = DetectionBenchmark.runNetwork(detector, width: size.width, height: size.height, threads: threads, runs: repeats, fast: false)
                print(String(format: "network-ms %dx%d threads %d: %.1f", r.width, r.height, threads, r.milliseconds))
                print(String(format: "network-module-ms %dx%d threads %d: %.1f (folded channels-last path: ×%.2f)", m.width, m.height, threads,
                             m.milliseconds, m.milliseconds / max(r.milliseconds, 1e-9)))
            }
        }
        for size in try sizeList() where !networkOnly {
            let repeats = size.width * size.height > 1 << 20 ? max(1, runs / 2) : runs
            for threads in [1, 2] {
                detector.usesFastInference = true
                let r = DetectionBenchmark.run(detector, width: size.width, height: size.height, threads: threads, runs: repeats)
                print(String(format: "detect-ms %dx%d threads %d: %.1f", r.width, r.height, r.threads, r.milliseconds))
                // The same detector through the module's own forward (the reference path), measured in the same run.
                detector.usesFastInference = false
                let m = DetectionBenchmark.run(detector, width: size.width, height: size.height, threads: threads, runs: repeats)
                print(String(format: "detect-module-ms %dx%d threads %d: %.1f (folded channels-last path: ×%.2f)", m.width, m.height, m.threads,
                             m.milliseconds, m.milliseconds / max(r.milliseconds, 1e-9)))
            }
            detector.usesFastInference = true
        }
    }
}
