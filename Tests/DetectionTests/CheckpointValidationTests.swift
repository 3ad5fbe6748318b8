import Detection
import RawIO
import SensorSimulation
import DetectionData
import Bayer
import TrainableQuantizers
import Foundation
import Support
import TestSupport
import XCTest

/// Crafted detector checkpoints (issue 13): each is a one-line error naming the file, checked before the
/// network is built — never a trap, a huge allocation or a silently broken model.
final class CheckpointValidationTests: XCTestCase {
    private var directory = ""
    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    /// The bundled checkpoint with its metadata JSON and tensors changed by `edit`, written to a file.
    private func crafted(_ name: String, edit: (inout [String: Any], inout [String: StoredArray]) -> Void) throws -> String {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try BundledModel.path())))
        var (arrays, metadata) = try SafeTensorsCodec.decode(bytes)
        var info = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(metadata["detector"]!.utf8)) as? [String: Any])
        edit(&info, &arrays)
        metadata["detector"] = String(decoding: try JSONSerialization.data(withJSONObject: info), as: UTF8.self)
        let path = "\(directory)/\(name).safetensors"
        try Data(SafeTensorsCodec.encode(arrays, metadata: metadata)).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func assertRefused(_ path: String, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try RawDetector.load(from: path), file: file, line: line) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix(path + ": "), text, file: file, line: line)
            XCTAssertTrue(text.contains(fragment), text, file: file, line: line)
            XCTAssertFalse(text.contains("\n"), "one line", file: file, line: line)
        }
    }

    private func configuration(_ edit: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any], inout [String: StoredArray]) -> Void {
        { info, _ in
            var c = info["configuration"] as! [String: Any]
            edit(&c)
            info["configuration"] = c
        }
    }

    func testImpossibleConfigurationsAreRefusedBeforeBuilding() throws {
        assertRefused(try crafted("base0", edit: configuration { $0["baseChannels"] = 0 }), "base channels must be in 4...512")
        assertRefused(try crafted("baseHuge", edit: configuration { $0["baseChannels"] = 1_000_000 }), "base channels must be in 4...512")
        assertRefused(try crafted("base256", edit: configuration { $0["baseChannels"] = 256 }), "the file holds")
        assertRefused(try crafted("noClasses", edit: configuration { $0["classes"] = [String]() }), "needs 1...1000 classes")
        assertRefused(try crafted("twice", edit: configuration { $0["classes"] = ["a", "a", "b"] }), "distinct")
        assertRefused(try crafted("channels", edit: configuration { $0["inputChannels"] = 5 }), "input channels")
        for bits in [0, 64, -1] {
            assertRefused(try crafted("bits\(bits)") { info, _ in
                var q = info["quantizer"] as! [String: Any]
                q["bits"] = bits
                info["quantizer"] = q
            }, "bits must be in 1...8")
        }
        assertRefused(try crafted("gamma") { info, _ in
            var q = info["quantizer"] as! [String: Any]
            q["gammas"] = [-1.0]
            info["quantizer"] = q
        }, "γ needs 1 or 3 positive values")
        assertRefused(try crafted("ranges") { info, _ in info["adcRanges"] = [3839, 3839, 3839] }, "adcRanges must be 4 values")
        assertRefused(try crafted("rangesNaN") { info, _ in info["adcRanges"] = [3839, 3839, -1, 3839] }, "adcRanges must be 4 values")
    }

    func testBrokenWeightsAreRefused() throws {
        assertRefused(try crafted("nan") { _, arrays in
            let name = arrays.keys.sorted().first { $0.hasSuffix("weight") }!
            var a = arrays[name]!
            a.scalars[0] = .nan
            arrays[name] = a
        }, "has invalid values: element 0 is nan")
        assertRefused(try crafted("variance") { _, arrays in
            let name = arrays.keys.sorted().first { $0.hasSuffix("running_var") }!
            var a = arrays[name]!
            a.scalars[1] = -0.5
            arrays[name] = a
        }, "running variance -0.5")
        assertRefused(try crafted("unknown") { _, arrays in arrays["network.extra.weight"] = StoredArray(shape: [1], scalars: [0]) }, "unknown tensor")
        assertRefused(try crafted("missing") { _, arrays in arrays.removeValue(forKey: arrays.keys.sorted().first { $0.hasSuffix("bias") }!) }, "weights do not fit the configuration")
    }

    func testAShapeWhoseSizeOverflowsIsRefused() throws {
        let header = #"{"w": {"dtype": "F32", "shape": [100000000000000, 100000000000000], "data_offsets": [0, 4]}}"#
        var json = Array(header.utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        var bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json
        bytes += [0, 0, 0, 0]
        let path = directory + "/overflow.safetensors"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try SafeTensorsCodec.decode(bytes)) { XCTAssertTrue("\($0)".contains("needs more bytes than the file's 4 of data"), "\($0)") }
        assertRefused(path, "not a RawQuant detector checkpoint")
    }

    /// The scalar count and input channels a checkpoint is checked against are the ones the built network has.
    func testPredictedSizesAreTheBuiltNetworks() throws {
        for (representation, bits, width, classes) in [(InputRepresentation.gammaPerColor, 4, 16, 3), (.bwsq, 3, 4, 1), (.isp, 8, 8, 5), (.float, 8, 6, 2)] {
            let detector = RawDetector(quantizer: try QuantizerDescription(representation, bits: bits), classes: (0..<classes).map { "c\($0)" },
                                       baseChannels: width, seed: 1)
            let stored = detector.network.stateDict().values.reduce(0) { $0 + $1.scalars.count }
            XCTAssertEqual(detector.network.configuration.storedScalarCount, stored, "\(representation)")
            XCTAssertEqual(representation.networkChannels(bits: bits), detector.quantizer.outputChannels(inputChannels: 4))
        }
        for deep in [1, 2] {
            let detector = RawDetector(quantizer: try QuantizerDescription(.gammaPerColor, bits: 4), classes: ["a", "b"], baseChannels: 4,
                                       deepStages: deep, seed: 1)
            let stored = detector.network.stateDict().values.reduce(0) { $0 + $1.scalars.count }
            XCTAssertEqual(detector.network.configuration.storedScalarCount, stored, "deep \(deep)")
        }
        for (deep, residual) in [(0, 1), (1, 2), (2, 1)] {
            let detector = RawDetector(quantizer: try QuantizerDescription(.gammaPerColor, bits: 4), classes: ["a"], baseChannels: 4,
                                       deepStages: deep, residualBlocks: residual, seed: 1)
            let stored = detector.network.stateDict().values.reduce(0) { $0 + $1.scalars.count }
            XCTAssertEqual(detector.network.configuration.storedScalarCount, stored, "deep \(deep), residual \(residual)")
        }
    }

    /// Deep stages: a checkpoint round trip gives the same detections at a size that needs padding to the
    /// deeper multiple; a checkpoint without the key (the shapes model's) reads as 0 deep stages.
    func testDeepStagesRoundTripAndPadding() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let detector = RawDetector(quantizer: try QuantizerDescription(.gammaPerColor, bits: 4), classes: ["person"], baseChannels: 4,
                                   deepStages: 2, seed: 3)
        XCTAssertEqual(detector.network.configuration.planeMultiple, 16)
        try detector.save(to: directory + "/deep.safetensors", epoch: 0)  // (the checkpoint, not NN.Module.save)
        let loaded = try RawDetector.load(from: directory + "/deep.safetensors").detector
        XCTAssertEqual(loaded.network.configuration.deep, 2)
        let image = try RawDecoder.decode(path: Fixtures.path("generated/synthetic_rggb_12bit.dng"))  // 48×32: planes 24×16 → padded to 32×16
        detector.decoding.scoreThreshold = 0
        loaded.decoding.scoreThreshold = 0
        XCTAssertEqual(detector.detect(image, name: "x"), loaded.detect(image, name: "x"))
        XCTAssertEqual(try RawDetector.load(from: BundledModel.path()).detector.network.configuration.deepStages, nil)
    }

    /// An input scale: detection on the full mosaic equals detection on the mosaic resampled by hand, with the
    /// boxes scaled back; the scale survives a checkpoint; codes are refused.
    func testInputScaleResamplesAndScalesBoxesBack() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let half = RawDetector(quantizer: try QuantizerDescription(.gammaPerColor, bits: 4), classes: ["person"], baseChannels: 4,
                               inputScale: 0.5, seed: 5)
        let full = RawDetector(quantizer: try QuantizerDescription(.gammaPerColor, bits: 4), classes: ["person"], baseChannels: 4, seed: 5)
        half.decoding.scoreThreshold = 0
        full.decoding.scoreThreshold = 0
        let image = try RawDecoder.decode(path: Fixtures.path("scenes/scene_000017.dng"))  // 256×256
        let direct = half.detect(image, name: "x")
        let byHand = full.detect(image.resampled(width: 128, height: 128), name: "x").map {
            DetectedObject(image: $0.image, className: $0.className, score: $0.score, box: $0.box.scaled(x: 2, y: 2))
        }
        XCTAssertFalse(direct.isEmpty)
        XCTAssertEqual(direct, byHand)
        try half.save(to: directory + "/half.safetensors", epoch: 0)
        XCTAssertEqual(try RawDetector.load(from: directory + "/half.safetensors").detector.network.configuration.scale, 0.5)
        let spec = try half.quantizer.deploySpec()
        let codes = try SensorSimulator.simulate(image, spec: spec).mosaic
        XCTAssertThrowsError(try half.detect(codes: codes, name: "c")) { XCTAssertTrue("\($0)".contains("scale 0.5"), "\($0)") }
    }
}
