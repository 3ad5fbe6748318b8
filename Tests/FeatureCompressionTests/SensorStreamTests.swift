import FeatureCompression
import Foundation
import NN
import Support
import TensorCore
import XCTest

/// Sensor-stream classifiers: the per-channel codec equals the train face, the model file round-trips, codes
/// predict as the raw windows do, and a generated two-activity stream is learned.
final class SensorStreamTests: XCTestCase {
    /// `.ts` text of `count` windows of 3 channels × `length` steps: "still" (noise around a gravity offset on
    /// channel 1) and "shake" (a 2-cycle sine of amplitude 1 on every channel, random phase, plus noise).
    static func tsText(count: Int, length: Int = 32, seed: UInt64) -> String {
        var random = SeededRandom(seed: seed)
        var lines = ["# generated", "@problemName Shake", "@timeStamps false", "@missing false", "@univariate false", "@dimensions 3",
                     "@equalLength true", "@seriesLength \(length)", "@classLabel true still shake", "@data"]
        for i in 0..<count {
            let shake = i % 2 == 1, phase = random.nextUniformDouble() * 2 * Double.pi
            let channels = (0..<3).map { c -> String in
                (0..<length).map { t -> String in
                    let base = c == 0 ? 1.0 : 0.0
                    let wave = shake ? sin(2 * Double.pi * 2 * Double(t) / Double(length) + phase + Double(c)) : 0
                    return String(format: "%.5f", base + wave + 0.1 * Double(random.nextNormal()))
                }.joined(separator: ",")
            }
            lines.append(channels.joined(separator: ":") + ":" + (shake ? "shake" : "still"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func dataset(count: Int, seed: UInt64) throws -> SensorStreamDataset {
        try SensorStreamDataset(try TimeSeriesFile.parse(tsText(count: count, seed: seed), path: "shake.ts"))
    }

    func testMacroF1AndAccuracy() {
        // Class 0: TP 1, FP 1, FN 0 → F1 2/3; class 1: TP 2, FP 0, FN 1 → F1 4/5.
        XCTAssertEqual(ClassificationMetrics.macroF1(predictions: [0, 0, 1, 1], targets: [0, 1, 1, 1]), (2.0 / 3 + 4.0 / 5) / 2, accuracy: 1e-12)
        XCTAssertEqual(ClassificationMetrics.accuracy(predictions: [0, 0, 1, 1], targets: [0, 1, 1, 1]), 0.75)
        XCTAssertEqual(ClassificationMetrics.macroF1(predictions: [2, 2], targets: [2, 2]), 1)
        // A class predicted but never true scores 0.
        XCTAssertEqual(ClassificationMetrics.macroF1(predictions: [0, 1], targets: [0, 0]), (2.0 / 3 + 0) / 2, accuracy: 1e-12)
    }

    /// For every quantized method, the deploy face (codes → decoded network input) gives the train face's eval-mode
    /// logits bit for bit, and the model file round-trips to the same logits and codec.
    func testDeployFaceEqualsTrainFaceAndTheFileRoundTrips() throws {
        let data = try Self.dataset(count: 12, seed: 3)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("streams-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // Windows beyond the training range as well: both faces clip to it.
        let probe = data.windows + [data.windows[0].map { $0.map { $0 * 3 } }]
        for method in FeatureMethod.allCases {
            for bits in method == .fp ? [4] : [2, 3, 8] {
                var options = SensorStreamTrainingOptions(method: method, bits: bits)
                options.epochs = 2
                options.widths = [8, 8]
                let model = SensorStreamTrainer.train(data, options: options).model
                model.network.eval()
                let trainFace = withNoGrad { model.network.forward(windows: probe, length: data.length) }
                let deployFace = model.outputs(windows: probe)
                XCTAssertEqual(trainFace.scalars, deployFace.scalars, "\(method) \(bits)-bit: deploy face ≠ train face")
                let path = dir.appendingPathComponent("\(method.rawValue)-\(bits).safetensors").path
                try SensorStreamModelFile.write(model, to: path)
                guard case .stream(let loaded) = try AnyFeatureModel.read(path: path) else { return XCTFail("not read as a stream model") }
                XCTAssertEqual(loaded.info, model.info)
                XCTAssertEqual(loaded.codec, model.codec)
                XCTAssertEqual(loaded.outputs(windows: probe).scalars, deployFace.scalars, "\(method) \(bits)-bit after the round trip")
            }
        }
    }

    func testAGeneratedTwoActivityStreamIsLearnedAtTwoBitsAndDeterministically() throws {
        let train = try Self.dataset(count: 32, seed: 1), test = try Self.dataset(count: 32, seed: 2)
        var options = SensorStreamTrainingOptions(method: .bwsq, bits: 2)
        options.epochs = 30
        options.widths = [16, 16]
        let first = SensorStreamJobs.train(train, test: test, options: options), second = SensorStreamJobs.train(train, test: test, options: options)
        XCTAssertGreaterThanOrEqual(first.report.testAccuracy, 0.9, "shaking vs still at 2 bits: \(first.report)")
        XCTAssertEqual(first.report.testAccuracy, second.report.testAccuracy)
        XCTAssertEqual(first.model.outputs(windows: test.windows).scalars, second.model.outputs(windows: test.windows).scalars, "same seed, same bits")
        XCTAssertEqual(first.report.bitsPerSample, 6)
    }

    func testBadStreamFilesAreRefusedWithTheFileAndLine() {
        let unlabeled = "@dimensions 1\n@data\n1,2,3\n"
        XCTAssertThrowsError(try SensorStreamDataset(try TimeSeriesFile.parse(unlabeled, path: "u.ts"))) {
            XCTAssertTrue("\($0)".contains("u.ts") && "\($0)".contains("@classLabel"), "\($0)")
        }
        let unequal = "@equalLength false\n@classLabel true a\n@data\n1,2:a\n1:a\n"
        XCTAssertThrowsError(try SensorStreamDataset(try TimeSeriesFile.parse(unequal, path: "v.ts"))) {
            XCTAssertTrue("\($0)".contains("differ in length"), "\($0)")
        }
        let missing = "@missing true\n@classLabel true a\n@data\n1,?:a\n"
        XCTAssertThrowsError(try SensorStreamDataset(try TimeSeriesFile.parse(missing, path: "w.ts"))) {
            XCTAssertTrue("\($0)".contains("w.ts:4") && "\($0)".contains("missing"), "\($0)")
        }
        let unknown = "@classLabel true a b\n@data\n1,2:b\n"
        XCTAssertThrowsError(try SensorStreamDataset(try TimeSeriesFile.parse(unknown, path: "x.ts"), classLabels: ["a"])) {
            XCTAssertTrue("\($0)".contains("x.ts:3") && "\($0)".contains("not one of the model's"), "\($0)")
        }
    }
}
