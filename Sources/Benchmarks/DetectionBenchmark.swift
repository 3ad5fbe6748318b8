import Detection
import Dispatch
import Foundation
import Support
import TensorCore
import Bayer

/// Inference timings of a detector: milliseconds per raw mosaic (packing, quantizer, network, decoding
/// and NMS; raw decoding excluded), median of several runs, for a given thread count.
public struct DetectionBenchmarkResult: Codable, Sendable {
    public var width: Int
    public var height: Int
    public var threads: Int
    public var runs: Int
    public var milliseconds: Double
}

public enum DetectionBenchmark {
    /// Times `detector.detect` on a mosaic of `width × height` with seeded random content.
    public static func run(_ detector: RawDetector, width: Int, height: Int, threads: Int, runs: Int = 5) -> DetectionBenchmarkResult {
        var random = SeededRandom(seed: 42)
        let pixels = (0..<(width * height)).map { _ in UInt16(256 + random.nextInt(below: 3000)) }
        let image = BayerImage(width: width, height: height, pixels: pixels, cfa: .rggb, blackLevels: [256, 256, 256, 256], whiteLevel: 4095)
        let previous = TensorRuntime.threads
        TensorRuntime.threads = threads
        defer { TensorRuntime.threads = previous }
        _ = detector.detect(image, name: "warm-up")
        var times: [Double] = []
        for _ in 0..<max(runs, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = detector.detect(image, name: "bench")
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return DetectionBenchmarkResult(width: width, height: height, threads: threads, runs: times.count, milliseconds: times.sorted()[times.count / 2])
    }
}

extension DetectionBenchmark {
    /// The network input a mosaic of `width × height` becomes for `detector`: channels, plane height and width (the
    /// mosaic resampled by the input scale, halved into planes, padded to the plane multiple), as ``RawDetector/maps(_:)``.
    public static func networkInputShape(_ detector: RawDetector, width: Int, height: Int) -> (channels: Int, height: Int, width: Int) {
        let configuration = detector.network.configuration, seen = detector.seenSize(width: width, height: height)
        let m = configuration.planeMultiple
        return (configuration.inputChannels, (seen.height / 2 + m - 1) / m * m, (seen.width / 2 + m - 1) / m * m)
    }

    /// Times the network alone (eval mode, no gradients) on a seeded input of ``networkInputShape(_:width:height:)``:
    /// through the folded channels-last path (`fast`) or the module's forward — what a PyTorch twin's forward does.
    public static func runNetwork(_ detector: RawDetector, width: Int, height: Int, threads: Int, runs: Int = 5, fast: Bool) -> DetectionBenchmarkResult {
        let shape = networkInputShape(detector, width: width, height: height)
        let input = Tensor.uniform([1, shape.channels, shape.height, shape.width], low: 0, high: 1, seed: 42)
        let previous = TensorRuntime.threads, previousPath = detector.usesFastInference
        TensorRuntime.threads = threads
        detector.usesFastInference = fast
        defer { TensorRuntime.threads = previous; detector.usesFastInference = previousPath }
        _ = detector.inferenceMaps(input)
        var times: [Double] = []
        for _ in 0..<max(runs, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = detector.inferenceMaps(input)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return DetectionBenchmarkResult(width: width, height: height, threads: threads, runs: times.count, milliseconds: times.sorted()[times.count / 2])
    }
}
