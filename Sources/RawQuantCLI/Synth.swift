import ArgumentParser
import Foundation
import RawQuant

struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate deterministic synthetic raw scenes: DNG mosaics + VOC XML + split lists + dataset.json.")

    @Option(help: "Number of images.")
    var count: Int

    @Option(help: "Seed: the same seed gives the same bytes.")
    var seed: UInt64 = 1

    @Option(help: "Image size WIDTHxHEIGHT, even numbers, at least 22 (e.g. 256x256).")
    var size: String = "256x256"

    @Option(help: "ADC depth: 12 or 14 bits.")
    var adcBits: Int = 12

    @Option(help: "CFA pattern: RGGB, BGGR, GRBG, GBRG, or mixed (each image draws one).")
    var cfa: String = "RGGB"

    @Option(help: "Exposure range LOW,HIGH as fractions of full scale, drawn log-uniformly (default 0.0078125,1).")
    var exposureRange: String?

    @Option(help: "Output directory (created if missing).")
    var out: String

    @Option(help: "Images generated at once (default: the number of cores).")
    var jobs: Int?

    func run() throws {
        var configuration = SceneConfiguration()
        guard count >= 1 else { throw Output.usage("--count must be at least 1, got \(count)") }
        let sides = size.lowercased().split(separator: "x").map { Int($0) }
        guard sides.count == 2, let width = sides[0], let height = sides[1], width >= 22, height >= 22,
              width % 2 == 0, height % 2 == 0, width <= 8192, height <= 8192 else {
            throw Output.usage("--size must be WIDTHxHEIGHT with even sides in 22...8192, got \"\(size)\"")
        }
        configuration.width = width
        configuration.height = height
        guard adcBits == 12 || adcBits == 14 else { throw Output.usage("--adc-bits must be 12 or 14, got \(adcBits)") }
        configuration.sensor = SensorModel(adcBits: adcBits)
        if cfa.lowercased() == "mixed" {
            configuration.cfa = .mixed
        } else if let pattern = CFAPattern(name: cfa) {
            configuration.cfa = .fixed(.init(pattern))
        } else {
            throw Output.usage("--cfa must be RGGB, BGGR, GRBG, GBRG or mixed, got \"\(cfa)\"")
        }
        if let exposureRange {
            let values: [Double] = Output.numbers(exposureRange) ?? []
            guard values.count == 2, case let (low, high) = (values[0], values[1]), low > 0, low <= high, high <= 16 else {
                throw Output.usage("--exposure-range must be LOW,HIGH with 0 < LOW ≤ HIGH ≤ 16, got \"\(exposureRange)\"")
            }
            configuration.exposureRange = low...high
        }
        if let jobs, jobs < 1 { throw Output.usage("--jobs must be at least 1, got \(jobs)") }
        do {
            let manifest = try SyntheticDataset.write(count: count, seed: seed, configuration: configuration, to: out,
                                                      concurrency: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
            let objects = manifest.images.reduce(0) { $0 + $1.objects }
            print("wrote \(count) scenes (\(objects) objects; train \(manifest.splits["train"]!), val \(manifest.splits["val"]!), test \(manifest.splits["test"]!)) to \(out)")
        } catch {
            throw Output.failure(error)
        }
    }

}
