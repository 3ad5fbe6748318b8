import Bayer
import Dispatch
import Foundation
import ISP
import RawIO
import Support
import Unprocessing

/// Throughput of `unprocess` (photos → DNG mosaics) on one and two threads, with its stages, next to
/// `simulate`'s on the bundled CR2, measured in one process.
public struct UnprocessBenchmarkResult: Codable, Sendable {
    public var photos: Int
    public var megapixels: Double
    public var runs: Int
    /// Single-thread stage times summed over the photos, milliseconds (median of the runs).
    public var decodeMs: Double
    public var mosaicMs: Double
    public var writeMs: Double
    /// The whole dataset job (decode, mosaic with noise, DNG + XML writes, manifest), milliseconds.
    public var wholeOneThreadMs: Double
    public var wholeTwoThreadsMs: Double
    /// `simulate` (decode, 4-bit quantize and pack, .rqm + .dng + .jpg) of the raw file, milliseconds, and its pixels.
    public var simulateFile: String?
    public var simulateMs: Double?
    public var simulatePixels: Int?

    public var oneThreadMpxPerSecond: Double { megapixels / wholeOneThreadMs * 1000 }
    public var twoThreadsMpxPerSecond: Double { megapixels / wholeTwoThreadsMs * 1000 }
    public var simulateMpxPerSecond: Double? { simulateMs.map { Double(simulatePixels ?? 0) / 1e6 / $0 * 1000 } }

    public var text: String {
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var lines = [
            "photos: \(photos) (\(String(format: "%.2f", megapixels)) Mpx, median of \(runs) runs)",
            "decode-mpx-per-s: \(f(megapixels / decodeMs * 1000))",
            "mosaic-noise-mpx-per-s: \(f(megapixels / mosaicMs * 1000))",
            "dng-write-mpx-per-s: \(f(megapixels / writeMs * 1000))",
            "unprocess-1-thread-mpx-per-s: \(f(oneThreadMpxPerSecond))",
            "unprocess-2-threads-mpx-per-s: \(f(twoThreadsMpxPerSecond))",
        ]
        if let s = simulateMpxPerSecond, let file = simulateFile {
            lines.append("simulate-1-thread-mpx-per-s: \(f(s)) (\(file), 4-bit, all writers)")
            lines.append("unprocess-2-threads-vs-simulate: \(String(format: "%.2f", twoThreadsMpxPerSecond / s))")
        }
        return lines.joined(separator: "\n")
    }
}

/// Measures ``UnprocessedDataset`` on photos: given ones, or tiles of the bundled CR2's own rendering.
public enum UnprocessBenchmark {
    /// - Parameters:
    ///   - images: photos to unprocess (JPEG/PNG); nil = `tiles` 640×480 JPEG tiles of `raw`'s preview rendering.
    ///   - raw: the raw file simulate is timed on (and tiles come from); nil = no simulate timing.
    public static func run(images: [String]?, raw: String?, tiles: Int = 16, runs: Int = 3) throws -> UnprocessBenchmarkResult {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rawquant-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var paths = images ?? []
        if paths.isEmpty {
            guard let raw else { throw UnprocessError("no photos and no raw file to make them from") }
            paths = try makeTiles(from: raw, count: tiles, into: scratch + "/photos")
        }
        let records = paths.enumerated().map { PhotoRecord(id: String(format: "photo_%05d", $0.offset), imagePath: $0.element) }
        let source = PhotoSource(records: records, classes: [])
        let options = UnprocessOptions(cameras: [.canonEOS30D])
        let photos = try paths.map { try PhotoDecoder.decode(path: $0) }
        let megapixels = Double(photos.reduce(0) { $0 + ($1.width & ~1) * ($1.height & ~1) }) / 1e6

        let decode = try SimulateBenchmark.median(runs) { for p in paths { _ = try PhotoDecoder.decode(path: p) } }
        var mosaics: [BayerImage] = []
        let mosaic = try SimulateBenchmark.median(runs) {
            mosaics = try zip(records, photos).map { record, photo in
                let draw = UnprocessedDataset.draw(id: record.id, options: options)
                var random = SeededRandom.stream(seed: 1, index: 0)
                return try Unprocessor.mosaic(PhotoGeometry.evenCropped(photo), camera: .canonEOS30D, draw: draw, random: &random)
            }
        }
        let write = try SimulateBenchmark.median(runs) {
            for (i, m) in mosaics.enumerated() { try DNGWriter.write(m, to: scratch + "/m\(i).dng") }
        }
        func whole(_ threads: Int) throws -> Double {
            try SimulateBenchmark.median(runs) {
                _ = try UnprocessedDataset.write(source: source, described: [], options: options,
                                                 to: scratch + "/out\(threads)", concurrency: threads)
            }
        }
        let one = try whole(1), two = try whole(2)
        var result = UnprocessBenchmarkResult(photos: paths.count, megapixels: megapixels, runs: runs, decodeMs: decode * 1000,
                                              mosaicMs: mosaic * 1000, writeMs: write * 1000, wholeOneThreadMs: one * 1000,
                                              wholeTwoThreadsMs: two * 1000)
        if let raw {
            let simulate = try SimulateBenchmark.run(path: raw, spec: try .defaultQuantizer(bits: 4), runs: runs)
            result.simulateFile = URL(fileURLWithPath: raw).lastPathComponent
            result.simulateMs = simulate.simulateMs
            result.simulatePixels = simulate.pixels
        }
        return result
    }

    /// `count` 640×480 JPEG tiles of the raw file's preview rendering (the project's own material).
    static func makeTiles(from raw: String, count: Int, into folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let image = try RawDecoder.decode(path: raw)
        let columns = max(1, image.width / 640), rows = max(1, image.height / 480)
        return try (0..<count).map { i in
            let x = (i % columns) * 640 % max(1, image.width - 640), y = (i / columns % rows) * 480 % max(1, image.height - 480)
            let tile = image.cropped(x: x & ~1, y: y & ~1, width: min(640, image.width), height: min(480, image.height))
            let rendering = ReferenceISP(image: tile).render()
            let path = folder + "/tile\(i).jpg"
            try JPEGFile.write(to: path, width: rendering.width, height: rendering.height, quality: 90) { row, out in
                for k in 0..<(rendering.width * 3) { out[k] = rendering.pixels[row * rendering.width * 3 + k] }
            }
            return path
        }
    }
}
