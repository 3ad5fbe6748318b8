import ArgumentParser
import Benchmarks
import RawQuant

struct BenchDetect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Detector inference time per 256×256 and per 12-Mpx (4000×3000) raw, on one and two threads.")

    @OptionGroup var model: DetectorModelOption

    @Option(help: "Runs per measurement (the median is reported).")
    var runs: Int = 5

    func run() throws {
        let detector = try model.load()
        for (width, height, runs) in [(256, 256, max(runs, 1)), (4000, 3000, max(1, runs / 2))] {
            for threads in [1, 2] {
                let r = DetectionBenchmark.run(detector, width: width, height: height, threads: threads, runs: runs)
                print(String(format: "detect-ms %dx%d threads %d: %.1f", r.width, r.height, r.threads, r.milliseconds))
            }
        }
    }
}
