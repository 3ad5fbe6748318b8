import DetectionData
import Detection
import Foundation
import Scenes
import TensorCore
import TestSupport
import TrainableQuantizers
import XCTest

/// A tiny joint training on generated scenes: the loss falls, mAP beats a trivial baseline, checkpoints
/// reload exactly and an interrupted run resumes to the same weights.
final class DetectorTrainingTests: XCTestCase {
    private var directory = ""
    private var dataset = ""

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory()
        dataset = directory + "/data"
        var configuration = SceneConfiguration.small()
        configuration.objectsPerImage = 1...2
        configuration.clutterPerImage = 0...1
        configuration.exposureRange = 0.2...1
        configuration.trainFraction = 0.8
        configuration.valFraction = 0.2
        try SyntheticDataset.write(count: 60, seed: 3, configuration: configuration, to: dataset)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func options(_ out: String, epochs: Int) -> TrainingOptions {
        var options = TrainingOptions(outputDirectory: directory + "/" + out)
        options.epochs = epochs
        options.batchSize = 8
        options.learningRate = 5e-3
        options.warmupSteps = 5
        return options
    }

    private func detector() throws -> RawDetector {
        RawDetector(quantizer: try QuantizerDescription(.gammaPerColor, bits: 4), classes: ["disk", "square", "triangle"],
                    baseChannels: 8, adcRange: 4095 - 256, seed: 5)
    }

    func testLossFallsAndMAPBeatsATrivialBaseline() throws {
        let training = try DatasetLoader.load(directory: dataset, split: "train")
        let validation = try DatasetLoader.load(directory: dataset, split: "val", options: DatasetLoadOptions(classes: ["disk", "square", "triangle"]))
        let detector = try detector()
        var progressCalls = 0
        let records = try DetectorTrainer(detector: detector, training: training, validation: validation, options: options("run", epochs: 8))
            .run { _ in progressCalls += 1 }
        XCTAssertEqual(records.count, 8)
        XCTAssertGreaterThan(progressCalls, 0)
        XCTAssertLessThan(records.last!.loss, records.first!.loss * 0.7, "\(records.map(\.loss))")
        // Trivial baseline: one full-image box per class and image.
        var truth: [String: [GroundTruthObject]] = [:], trivial: [DetectedObject] = []
        for image in validation.images {
            truth[image.id] = image.objects
            for name in ["disk", "square", "triangle"] {
                trivial.append(DetectedObject(image: image.id, className: name, score: 0.5, box: BoundingBox(xmin: 1, ymin: 1, xmax: 64, ymax: 64)))
            }
        }
        let baseline = AveragePrecision.evaluate(groundTruth: truth, detections: trivial, classes: ["disk", "square", "triangle"]).mAP50 ?? 0
        XCTAssertGreaterThan(records.last!.validationMAP50!, baseline + 0.1, "trained \(records.last!.validationMAP50!) vs baseline \(baseline)")
        for name in ["checkpoint.safetensors", "best.safetensors", "quantizer.safetensors", "training.csv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/run/" + name), name)
        }
        let csv = try String(contentsOfFile: directory + "/run/training.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.count, 9)
        XCTAssertTrue(csv[0].hasPrefix("epoch,loss"))

        // The checkpoint reloads to the same detections.
        let reloaded = try RawDetector.load(from: directory + "/run/checkpoint.safetensors").detector
        let image = try RawQuantTestImage.first(validation)
        XCTAssertEqual(reloaded.detect(image, name: "x"), detector.detect(image, name: "x"))
    }

    func testInterruptedTrainingResumesToTheSameWeights() throws {
        let training = try DatasetLoader.load(directory: dataset, split: "train")
        let straight = try detector()
        try DetectorTrainer(detector: straight, training: training, validation: nil, options: options("straight", epochs: 3)).run()
        let interrupted = try detector()
        var firstPart = options("resumed", epochs: 3)
        firstPart.stopAfterEpoch = 2
        XCTAssertEqual(try DetectorTrainer(detector: interrupted, training: training, validation: nil, options: firstPart).run().count, 2)
        let resumed = try detector()
        let records = try DetectorTrainer(detector: resumed, training: training, validation: nil, options: options("resumed", epochs: 3)).run()
        XCTAssertEqual(records.map(\.epoch), [1, 2, 3])
        let a = straight.stateDict(), b = resumed.stateDict()
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        for (name, tensor) in a {
            let difference = zip(tensor.scalars, b[name]!.scalars).map { abs($0 - $1) }.max() ?? 0
            XCTAssertEqual(difference, 0, "\(name): largest difference \(difference)")
        }
    }

    /// A learned log started by the median rule and trained through the noise code step: the start differs from the
    /// fixed log's, and an interrupted run resumes to the same weights (the noise is drawn per epoch).
    func testMedianStartAndNoiseStepResumeToTheSameWeights() throws {
        let training = try DatasetLoader.load(directory: dataset, split: "train")
        func make() throws -> RawDetector {
            RawDetector(quantizer: try QuantizerDescription(.logLearnedGlobal, bits: 3), classes: ["disk", "square", "triangle"],
                        baseChannels: 8, adcRange: 4095 - 256, seed: 5)
        }
        func variant(_ out: String) -> TrainingOptions {
            var o = options(out, epochs: 2)
            o.gammaStart = .median
            o.codeStep = .noise
            return o
        }
        let straight = try make()
        var justStarted = variant("started")
        justStarted.epochs = 0
        let started = try make()
        try DetectorTrainer(detector: started, training: training, validation: nil, options: justStarted).run()
        let startD = (started.quantizer as! LearnedLogQuantizer).scale.scalars[0]
        XCTAssertLessThan(startD, 4095 - 256, "the median pixel sits above the fixed log's middle code")
        try DetectorTrainer(detector: straight, training: training, validation: nil, options: variant("straight")).run()
        var firstPart = variant("resumed")
        firstPart.stopAfterEpoch = 1
        try DetectorTrainer(detector: try make(), training: training, validation: nil, options: firstPart).run()
        let resumed = try make()
        try DetectorTrainer(detector: resumed, training: training, validation: nil, options: variant("resumed")).run()
        let a = straight.stateDict(), b = resumed.stateDict()
        for (name, tensor) in a { XCTAssertEqual(tensor.scalars, b[name]!.scalars, name) }
    }

    func testBadCheckpointsAreClearErrors() throws {
        try Data("not a checkpoint".utf8).write(to: URL(fileURLWithPath: directory + "/bad.safetensors"))
        XCTAssertThrowsError(try RawDetector.load(from: directory + "/bad.safetensors"))
        try SafeTensors.save(["w": Tensor(1)], to: directory + "/other.safetensors")
        XCTAssertThrowsError(try RawDetector.load(from: directory + "/other.safetensors")) { error in
            XCTAssertTrue("\(error)".contains("not a RawQuant detector checkpoint"), "\(error)")
        }
    }
}

enum RawQuantTestImage {
    static func first(_ dataset: LoadedDataset) throws -> Bayer.BayerImage { try RawIO.RawDecoder.decode(path: dataset.images[0].rawPath) }
}

import RawIO
import Bayer
