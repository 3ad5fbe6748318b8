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
    var size = Size(width: 256, height: 256)

    @Option(help: "ADC depth: 12 or 14 bits.")
    var adcBits: Int = 12

    @Option(help: "CFA pattern: RGGB, BGGR, GRBG, GBRG, or mixed (each image draws one).")
    var cfa: CFAChoice = .fixed(.rggb)

    @Option(help: "Exposure range LOW,HIGH as fractions of full scale, drawn log-uniformly (default 0.0078125,1).")
    var exposureRange: NumberList<Double>?

    @Option(help: "Output directory (created if missing).")
    var out: String

    @Option(help: "Write only these splits' images (comma-separated: train, val, test), the same bytes as in the whole set.")
    var splits: NameList?

    @Option(help: "Images generated at once (default: the number of cores).")
    var jobs: Int?

    func validate() throws {
        try Limits.check(count, Limits.scenes, "count")
        guard [size.width, size.height].allSatisfy({ $0 >= 22 && $0 <= 8192 && $0 % 2 == 0 }) else {
            throw ValidationError("--size must be WIDTHxHEIGHT with even sides in 22...8192, got \"\(size)\"")
        }
        guard adcBits == 12 || adcBits == 14 else { throw ValidationError("--adc-bits must be 12 or 14, got \(adcBits)") }
        if let range = exposureRange?.values {
            guard range.count == 2, range[0] > 0, range[0] <= range[1], range[1] <= 16 else {
                throw ValidationError("--exposure-range must be LOW,HIGH with 0 < LOW ≤ HIGH ≤ 16, got \"\(exposureRange!)\"")
            }
        }
        if let jobs { try Limits.check(jobs, Limits.jobs, "jobs") }
        if let unknown = splits?.names.first(where: { !["train", "val", "test"].contains($0) }) {
            throw ValidationError("--splits must name train, val or test; got \"\(unknown)\"")
        }
    }

    func run() throws {
        var configuration = SceneConfiguration()
        configuration.width = size.width
        configuration.height = size.height
        configuration.sensor = SensorModel(adcBits: adcBits)
        switch cfa {
        case .mixed: configuration.cfa = .mixed
        case .fixed(let pattern): configuration.cfa = .fixed(.init(pattern))
        }
        if let range = exposureRange?.values { configuration.exposureRange = range[0]...range[1] }
        let manifest = try Output.running {
            try SyntheticDataset.write(count: count, seed: seed, configuration: configuration, to: out, splits: splits.map { Set($0.names) },
                                       concurrency: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        }
        let objects = manifest.images.reduce(0) { $0 + $1.objects }
        print("wrote \(manifest.images.count) scenes (\(objects) objects; train \(manifest.splits["train"]!), val \(manifest.splits["val"]!), test \(manifest.splits["test"]!)) to \(out)")
    }
}
