import Detection
import DetectionData
import Dispatch
import NN
import Support
import TensorCore
import TrainableQuantizers

/// Median timings of one detector training step (the real-content network), for the PyTorch comparison of
/// `Tools/bench_detector_step.sh`.
public struct DetectorStepTimings: Sendable, CustomStringConvertible {
    public let stepMs: Double
    public let threads: Int
    public let batch: Int
    public let size: Int
    public let width: Int
    public let deepStages: Int
    public let finalLoss: Float

    /// Training images per second at this step time.
    public var imagesPerSecond: Double { Double(batch) / stepMs * 1000 }

    public var description: String {
        """
        detector-step-ms: \(String(format: "%.2f", stepMs))
        images-per-second: \(String(format: "%.1f", imagesPerSecond))
        threads: \(threads) batch: \(batch) size: \(size)x\(size) width: \(width) deep-stages: \(deepStages) final-loss: \(finalLoss)
        """
    }
}

/// Times the training step of `train`: 4-bit learned-γ quantizer + ``CenterNetDetector`` on `batch` mosaics of
/// `size`×`size` (planes seeded uniform in [0, 1]), CenterNet loss against two fixed boxes per image, gradient
/// clipping and an AdamW step — the step ``DetectorTrainer`` runs, without data loading. Median over `steps`
/// after `warmup` untimed steps; sets ``TensorRuntime/threads`` for the run.
public func runDetectorStepBenchmark(threads: Int = TensorRuntime.defaultThreads, batch: Int = 8, size: Int = 256, width: Int = 16,
                                     deepStages: Int = 2, steps: Int = 10, warmup: Int = 2) throws -> DetectorStepTimings {
    let saved = TensorRuntime.threads
    TensorRuntime.threads = threads
    defer { TensorRuntime.threads = saved }
    let detector = RawDetector(quantizer: try QuantizerDescription(.gammaPerColor, bits: 4), classes: ["person", "car", "bicycle"],
                               baseChannels: width, deepStages: deepStages, seed: 1)
    detector.train()
    var random = SeededRandom(seed: 7)
    let planes = Tensor(shape: [batch, 4, size / 2, size / 2], scalars: (0..<(batch * 4 * size * size / 4)).map { _ in random.nextUniform() })
    let objects = (0..<batch).map { _ in
        [GroundTruthObject(className: "person", box: BoundingBox(xmin: 21, ymin: 31, xmax: 100, ymax: 220)),
         GroundTruthObject(className: "car", box: BoundingBox(xmin: 121, ymin: 141, xmax: 240, ymax: 200))]
    }
    let targets = CenterNetTargets(objects: objects, classes: detector.classes, mosaicWidth: size, mosaicHeight: size)
    let parameters = detector.network.parameters + detector.quantizer.parameters
    let optimizer = Optimizer(Adam.adamW(), groups: [ParameterGroup(parameters: parameters, learningRate: 1e-3, weightDecay: 1e-4)])
    var times: [Double] = [], loss: Float = 0
    for step in 0..<(warmup + steps) {
        let start = DispatchTime.now().uptimeNanoseconds
        optimizer.zeroGrad()
        let result = CenterNetLoss(output: detector.forward(planes: planes), targets: targets)
        result.total.backward()
        _ = GradientClipping.clipNorm(parameters, maxNorm: 10)
        optimizer.step()
        loss = result.total.item
        if step >= warmup { times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6) }
    }
    return DetectorStepTimings(stepMs: times.sorted()[times.count / 2], threads: threads, batch: batch, size: size, width: width,
                               deepStages: deepStages, finalLoss: loss)
}
