import ArgumentParser
import Benchmarks
import Foundation
import RawQuant

struct BenchUnprocess: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unprocess",
        abstract: "Time unprocess (photos → noisy DNG mosaics) on one and two threads, its stages, and simulate beside it.")

    @Option(help: "A folder of photos (JPEG/PNG) to time on (default: 640×480 tiles of the raw file's rendering).")
    var images: String?

    @Option(help: "The raw file simulate is timed on and tiles come from.")
    var raw: String = "Fixtures/IMG_5952.CR2"

    @Option(help: "Number of tiles when no --images.")
    var tiles: Int = 16

    @Option(help: "Runs per measurement (the median is reported).")
    var runs: Int = 3

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        try Limits.check(runs, Limits.runs, "runs")
        try Limits.check(tiles, 1...1000, "tiles")
    }

    func run() throws {
        let result = try Output.running {
            var photos: [String]? = nil
            if let images {
                let names = try FileManager.default.contentsOfDirectory(atPath: images).sorted()
                photos = names.filter { PhotoSource.imageExtensions.contains(URL(fileURLWithPath: $0).pathExtension.lowercased()) }
                    .map { images + "/" + $0 }
                if photos!.isEmpty { throw FileError(path: images, "no photos (.jpg, .jpeg, .png) in this folder") }
            }
            return try UnprocessBenchmark.run(images: photos, raw: raw, tiles: tiles, runs: runs)
        }
        print(json ? Output.json(result) : result.text)
    }
}
