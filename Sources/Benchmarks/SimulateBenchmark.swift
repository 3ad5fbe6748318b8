import Quantization
import Detection
import SensorSimulation
import TensorCore
import NN
import Dispatch
import Foundation
import RawIO
#if canImport(Glibc)
import Glibc
#endif

/// Timings of `simulate` on one file, each the median of several runs, measured in one process.
public struct SimulateBenchmarkResult: Codable, Sendable {
    public var file: String
    public var pixels: Int
    public var bits: Int
    public var runs: Int
    /// LibRaw open + unpack alone, milliseconds.
    public var unpackMs: Double
    /// Quantize + bit-pack alone (one core), milliseconds.
    public var quantizePackMs: Double
    /// memcpy of the 16-bit mosaic (the same bytes quantize+pack reads), milliseconds.
    public var memcpyMs: Double
    /// Decode + quantize + pack + statistics, without the DNG/JPEG writers, milliseconds.
    public var simulateNoWritersMs: Double
    /// The same with LibRaw not run first in a child process (`RawDecodeOptions.isolateLibRaw` false).
    public var simulateNoWritersUnisolatedMs: Double
    /// The whole `simulate` with all three outputs written, milliseconds.
    public var simulateMs: Double
    /// Peak resident memory of the process during one full simulate minus the resident memory before, bytes.
    public var peakMemoryIncreaseBytes: Int
    /// Size of the 16-bit mosaic, bytes.
    public var mosaicBytes: Int

    public var quantizePackMpxPerSecond: Double { Double(pixels) / quantizePackMs / 1000 }
    public var memcpyMpxPerSecond: Double { Double(pixels) / memcpyMs / 1000 }
    public var quantizePackVsMemcpy: Double { quantizePackMpxPerSecond / memcpyMpxPerSecond }
    public var simulateVsUnpack: Double { simulateNoWritersMs / unpackMs }
    public var unisolatedVsUnpack: Double { simulateNoWritersUnisolatedMs / unpackMs }
    public var peakMemoryVsMosaic: Double { Double(peakMemoryIncreaseBytes) / Double(mosaicBytes) }

    /// The report lines.
    public var text: String {
        """
        file: \(file) (\(pixels) pixels, \(bits)-bit output, median of \(runs) runs)
        libraw-unpack-ms: \(String(format: "%.2f", unpackMs))
        quantize-pack-ms: \(String(format: "%.3f", quantizePackMs))
        quantize-pack-mpx-per-s: \(String(format: "%.0f", quantizePackMpxPerSecond))
        memcpy-mpx-per-s: \(String(format: "%.0f", memcpyMpxPerSecond))
        quantize-pack-vs-memcpy: \(String(format: "%.3f", quantizePackVsMemcpy))
        simulate-no-writers-ms: \(String(format: "%.2f", simulateNoWritersMs))
        simulate-no-writers-vs-unpack: \(String(format: "%.3f", simulateVsUnpack))
        simulate-no-writers-unisolated-ms: \(String(format: "%.2f", simulateNoWritersUnisolatedMs))
        simulate-no-writers-unisolated-vs-unpack: \(String(format: "%.3f", unisolatedVsUnpack))
        simulate-with-writers-ms: \(String(format: "%.2f", simulateMs))
        peak-memory-increase-mb: \(String(format: "%.1f", Double(peakMemoryIncreaseBytes) / 1_048_576))
        peak-memory-vs-mosaic: \(String(format: "%.2f", peakMemoryVsMosaic))
        """
    }
}

/// Measures `simulate`'s stages on one file against LibRaw's unpack and memcpy.
public enum SimulateBenchmark {
    /// Runs the benchmark; writers write into a private temporary directory that is removed afterwards.
    public static func run(path: String, spec: QuantizerSpec, runs: Int = 5) throws -> SimulateBenchmarkResult {
        let runs = max(1, runs)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rawquant-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let options = SimulateOptions(quantizer: spec, outputDirectory: scratch)

        // Peak memory first, while the process has not yet held anything large.
        let residentBefore = residentBytes()
        _ = try SimulationJob.run(path: path, options: options)
        let peakIncrease = max(0, peakResidentBytes() - residentBefore)

        let image = try RawDecoder.decode(path: path)
        let quantizer = try SensorSimulator.quantizer(for: image, spec: spec)
        let unpack = try median(runs) { try RawDecoder.unpackOnly(path: path) }
        var packed = [UInt8](repeating: 0, count: BitPacking.byteCount(codes: image.pixels.count, bits: spec.bits))
        let innerRepeats = 10
        let pack = median(runs) {
            image.pixels.withUnsafeBufferPointer { src in
                packed.withUnsafeMutableBufferPointer { dst in
                    for _ in 0..<innerRepeats {
                        quantizer.encodePacked(src.baseAddress!, width: image.width, height: image.height, into: dst.baseAddress!)
                    }
                }
            }
        } / Double(innerRepeats)
        var copy = [UInt16](repeating: 0, count: image.pixels.count)
        let memcpyTime = median(runs) {
            image.pixels.withUnsafeBytes { src in
                copy.withUnsafeMutableBytes { dst in
                    for _ in 0..<innerRepeats { memcpy(dst.baseAddress!, src.baseAddress!, src.count) }
                }
            }
        } / Double(innerRepeats)
        let noWriters = try median(runs) {
            let decoded = try RawDecoder.decode(path: path)
            _ = try SensorSimulator.simulate(decoded, spec: spec)
        }
        // The same without running LibRaw first in a child process (RawDecodeOptions.isolateLibRaw).
        let unisolated = try median(runs) {
            let decoded = try RawDecoder.decode(path: path, options: RawDecodeOptions(isolateLibRaw: false))
            _ = try SensorSimulator.simulate(decoded, spec: spec)
        }
        let whole = try median(runs) { _ = try SimulationJob.run(path: path, options: options) }
        return SimulateBenchmarkResult(
            file: path, pixels: image.pixels.count, bits: spec.bits, runs: runs, unpackMs: unpack * 1000,
            quantizePackMs: pack * 1000, memcpyMs: memcpyTime * 1000, simulateNoWritersMs: noWriters * 1000,
            simulateNoWritersUnisolatedMs: unisolated * 1000,
            simulateMs: whole * 1000, peakMemoryIncreaseBytes: peakIncrease, mosaicBytes: image.pixels.count * 2)
    }

    /// Median wall time of `runs` calls, seconds.
    static func median(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.sorted()[times.count / 2]
    }

    /// Peak resident set size of this process (getrusage ru_maxrss), bytes.
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }

    /// Current resident set size from /proc/self/statm, bytes (0 where unavailable).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
