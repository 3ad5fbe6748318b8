import FeatureCompression
import Quantization
import Foundation
import NN
import TensorCore
import TestSupport
import XCTest

final class FeatureCompressionTests: XCTestCase {
    /// Friedman #1 rows as a dataset.
    static func friedman(_ count: Int, seed: UInt64 = 1) -> TabularDataset {
        let table = TableGenerator.friedman1.rows(count: count, seed: seed)
        return TabularDataset(featureNames: Array(table.columns.dropLast()), targetName: "y", task: .regression, classLabels: [],
                              features: table.rows.map { Array($0.dropLast()) }, targets: table.rows.map { $0.last! })
    }

    func testCodecEqualsTheTrainFaceInEvalModeForEveryMethod() {
        let data = Self.friedman(400)
        let scaler = FeatureScaler(fitting: data.features)
        // Rows beyond the training range too: both faces clip to it.
        let probe = data.features + [[Double](repeating: -1, count: 10), [Double](repeating: 2, count: 10)]
        for method in FeatureMethod.allCases where method != .fp {
            for bits in [1, 2, 3, 5, 8] {
                let layer = FeatureQuantizerLayer(method: method, bits: bits, scaler: scaler, training: data.features)
                // Move the learned parameters off their start so the test covers trained states.
                for parameter in layer.parameters where !parameter.isFrozen {
                    let v = parameter.value.scalars.enumerated().map { i, x in x * (1 + 0.1 * Float((i % 5) - 2) / 2) }
                    parameter.assign(Tensor(shape: parameter.shape, scalars: v))
                }
                layer.afterOptimizerStep()
                layer.eval()
                let trainFace = withNoGrad { layer.forward(layer.prepare(probe)) }
                let codec = try! XCTUnwrap(FeatureCodec(layer))
                let deployFace = codec.networkInput(codes: codec.encode(probe))
                XCTAssertEqual(trainFace.shape, deployFace.shape, "\(method) \(bits)")
                let mismatches = zip(trainFace.scalars, deployFace.scalars).filter { $0 != $1 }.count
                XCTAssertEqual(mismatches, 0, "\(method) \(bits)-bit: the deploy face differs from the train face")
                XCTAssertTrue(codec.unitThresholds.allSatisfy { zip($0, $0.dropFirst()).allSatisfy { $0 <= $1 } }, "ascending thresholds")
            }
        }
    }

    func testFullPrecisionAndLearnedBitwiseQuantizationLearnFriedman() {
        let data = Self.friedman(1500)
        let split = TabularSplits.holdOut(count: data.count, seed: 1)
        var scores: [FeatureMethod: Double] = [:]
        for method in [FeatureMethod.fp, .bwsq, .minmax] {
            var options = FeatureTrainingOptions(method: method, bits: 2)
            options.epochs = 40
            options.hidden = [64, 64]
            let result = FeatureTrainer.train(data, split: split, options: options)
            scores[method] = FeatureTrainer.score(result.model, on: data.subset(split.test)).mse!
        }
        XCTAssertLessThan(scores[.fp]!, 0.15, "full precision fits Friedman #1 (noise floor ≈ 0.04)")
        XCTAssertLessThan(scores[.bwsq]!, scores[.minmax]!, "learned 2-bit thresholds beat fixed uniform ones: \(scores)")
    }

    func testClassificationAndDeterminism() {
        let table = TableGenerator.hastie.rows(count: 1200, seed: 4)
        let data = TabularDataset(featureNames: Array(table.columns.dropLast()), targetName: "y", task: .classification, classLabels: ["0", "1"],
                                  features: table.rows.map { Array($0.dropLast()) }, targets: table.rows.map { $0.last! })
        let split = TabularSplits.holdOut(count: data.count, seed: 2)
        var options = FeatureTrainingOptions(method: .bwsq, bits: 3)
        options.epochs = 30
        let a = FeatureTrainer.train(data, split: split, options: options)
        let b = FeatureTrainer.train(data, split: split, options: options)
        let accuracy = FeatureTrainer.score(a.model, on: data.subset(split.test)).accuracy!
        XCTAssertGreaterThan(accuracy, 0.75, "Σx² > median is learnable from 3-bit features (chance: 0.5)")
        XCTAssertEqual(a.model.network.stateDict().mapValues(\.scalars), b.model.network.stateDict().mapValues(\.scalars), "same seed, same bits")
        XCTAssertEqual(a.model.codec, b.model.codec)
    }

    func testModelAndCodeFilesRoundTripAndRefuseAnotherModel() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = Self.friedman(300)
        let split = TabularSplits.holdOut(count: data.count, seed: 1)
        var options = FeatureTrainingOptions(method: .sq, bits: 5)
        options.epochs = 3
        let model = FeatureTrainer.train(data, split: split, options: options).model
        let path = directory + "/model.safetensors"
        try FeatureModelFile.write(model, to: path)
        let loaded = try FeatureModelFile.read(path: path)
        XCTAssertEqual(loaded.info, model.info)
        XCTAssertEqual(loaded.codec, model.codec)
        XCTAssertEqual(loaded.outputs(rows: data.features).scalars, model.outputs(rows: data.features).scalars)

        let codec = try XCTUnwrap(model.codec)
        let codes = codec.encode(data.features)
        let bytes = try FeatureCodeFile.encode(codes: codes, codec: codec, featureNames: data.featureNames)
        XCTAssertEqual(try FeatureCodeFile.decode(bytes, codec: codec).codes, codes)
        XCTAssertEqual(codec.payloadBytes(rows: 300), (300 * 10 * 5 + 7) / 8)
        XCTAssertEqual(loaded.outputs(codes: codes).scalars, model.outputs(rows: data.features).scalars, "server from codes = device+server")

        var corrupt = bytes
        corrupt[corrupt.count / 2] ^= 1
        XCTAssertThrowsError(try FeatureCodeFile.decode(corrupt, codec: codec)) { XCTAssertTrue("\($0)".contains("checksum")) }
        options.bits = 4
        let other = try XCTUnwrap(FeatureTrainer.train(data, split: split, options: options).model.codec)
        XCTAssertThrowsError(try FeatureCodeFile.decode(bytes, codec: other)) { XCTAssertTrue("\($0)".contains("another model")) }

        // A model file whose description cannot be built is an error, not a trap (issue 13).
        let file = try SafeTensors.load(from: path)
        for (key, value) in [("bits", "9"), ("hidden", "[-1]"), ("hidden", "[1099511627776]")] {
            var metadata = file.metadata
            var info = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(metadata["info"]!.utf8)) as? [String: Any])
            info[key] = try JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)
            metadata["info"] = String(decoding: try JSONSerialization.data(withJSONObject: info), as: UTF8.self)
            let crafted = directory + "/crafted.safetensors"
            try SafeTensors.save(file.tensors, metadata: metadata, to: crafted)
            XCTAssertThrowsError(try FeatureModelFile.read(path: crafted), "\(key) \(value)")
        }

        // Crafted headers with a valid checksum (issue 13): rows whose code count overflows, reordered features.
        let (header, payload) = try FramedFile.decode(bytes, magic: FeatureCodeFile.magic, version: FeatureCodeFile.version, kind: ".rqf")
        func reframed(_ edit: (String) -> String) -> [UInt8] {
            FramedFile.encode(magic: FeatureCodeFile.magic, version: FeatureCodeFile.version,
                              header: Array(edit(String(decoding: header, as: UTF8.self)).utf8), payload: payload)
        }
        let huge = reframed { $0.replacingOccurrences(of: "\"rows\":300", with: "\"rows\":4611686018427387904") }
        XCTAssertThrowsError(try FeatureCodeFile.decode(huge, codec: codec)) { XCTAssertTrue("\($0)".contains("does not hold"), "\($0)") }
        let negative = reframed { $0.replacingOccurrences(of: "\"rows\":300", with: "\"rows\":-3") }
        XCTAssertThrowsError(try FeatureCodeFile.decode(negative, codec: codec)) { XCTAssertTrue("\($0)".contains("does not hold"), "\($0)") }
        var names = data.featureNames
        names.swapAt(0, 1)
        XCTAssertNoThrow(try FeatureCodeFile.decode(bytes, codec: codec, featureNames: data.featureNames))
        XCTAssertThrowsError(try FeatureCodeFile.decode(bytes, codec: codec, featureNames: names)) {
            XCTAssertTrue("\($0)".contains("features differ from the model's at column 1"), "\($0)")
        }
    }

    func testGeneratorsAreSeededAndMotionClassesDiffer() {
        XCTAssertEqual(TableGenerator.friedman2.rows(count: 50, seed: 3).rows, TableGenerator.friedman2.rows(count: 80, seed: 3).rows.prefix(50).map { $0 })
        XCTAssertNotEqual(TableGenerator.friedman2.rows(count: 5, seed: 3).rows, TableGenerator.friedman2.rows(count: 5, seed: 4).rows)
        let motion = MotionWindows.table(windows: 10, samples: 32, seed: 1)
        XCTAssertEqual(motion.columns.count, 32 * 3 + 1)
        XCTAssertEqual(motion.rows.map { $0.last! }, (0..<10).map { MotionWindows.activities[$0 % 5] })
        // Energy of the acceleration magnitude's deviation from 1 g: rest ≪ walk ≪ run.
        func energy(_ row: [String]) -> Double {
            let v: [Double] = row.dropLast().map { Double($0)! }
            var magnitudes: [Double] = []
            for i in stride(from: 0, to: v.count, by: 3) {
                let squared: Double = v[i] * v[i] + v[i + 1] * v[i + 1] + v[i + 2] * v[i + 2]
                magnitudes.append(squared.squareRoot())
            }
            let mean: Double = magnitudes.reduce(0, +) / Double(magnitudes.count)
            var sum = 0.0
            for m in magnitudes { sum += (m - mean) * (m - mean) }
            return sum / Double(magnitudes.count)
        }
        XCTAssertLessThan(energy(motion.rows[0]) * 10, energy(motion.rows[1]))
        XCTAssertLessThan(energy(motion.rows[1]), energy(motion.rows[2]))
    }

    func testStudentTQuantilesMatchClosedForms() {
        // ν = 1 is the Cauchy distribution: q = tan(π(p − ½)); ν = 2: q = (2p − 1)/√(2p(1 − p)).
        XCTAssertEqual(StudentT.quantile(0.975, degreesOfFreedom: 1), tan(Double.pi * 0.475), accuracy: 1e-4)
        XCTAssertEqual(StudentT.quantile(0.975, degreesOfFreedom: 2), 0.95 / (2 * 0.975 * 0.025).squareRoot(), accuracy: 1e-5)
        // Large ν approaches the normal quantile Φ⁻¹(0.975), checked through erfc: Φ(q) = 1 − erfc(q/√2)/2.
        let q = StudentT.quantile(0.975, degreesOfFreedom: 100_000)
        XCTAssertEqual(1 - erfc(q / 2.0.squareRoot()) / 2, 0.975, accuracy: 1e-5)
        let (mean, half) = FeatureBenchmark.meanAndHalfWidth95([1, 2, 3])
        XCTAssertEqual(mean, 2)
        XCTAssertEqual(half, StudentT.quantile(0.975, degreesOfFreedom: 2) * 1 / 3.0.squareRoot(), accuracy: 1e-12)
    }
}
