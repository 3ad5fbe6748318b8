import Detection
import DetectionData
import TensorCore
import XCTest

final class CenterNetGeometryTests: XCTestCase {
    private let classes = ["disk", "square", "triangle"]

    func testTargetsPutAPeakAtTheCentreCellWithSizeAndOffset() {
        let box = BoundingBox(xmin: 11, ymin: 21, xmax: 30, ymax: 36)  // continuous [10, 30] × [20, 36]
        let targets = CenterNetTargets(objects: [[GroundTruthObject(className: "square", box: box)]], classes: classes,
                                       mosaicWidth: 64, mosaicHeight: 48)
        XCTAssertEqual(targets.heatmap.shape, [1, 3, 12, 16])
        // Centre (20, 28) → cell (5, 7), offset (0, 0); size (20, 16)/4 = (5, 4).
        let plane = 12 * 16
        XCTAssertEqual(targets.heatmap.scalars[plane + 7 * 16 + 5], 1)
        XCTAssertEqual(targets.heatmap.scalars.filter { $0 == 1 }.count, 1)
        XCTAssertLessThan(targets.heatmap.scalars[plane + 7 * 16 + 6], 1)
        XCTAssertEqual(targets.indices, [7 * 16 + 5, 7 * 16 + 5])
        XCTAssertEqual(targets.size.scalars, [5, 4])
        XCTAssertEqual(targets.offset.scalars, [0, 0])
        XCTAssertEqual(targets.mask.scalars, [1, 1])
        XCTAssertGreaterThan(CenterNetTargets.gaussianRadius(height: 4, width: 5, minOverlap: 0.7), 0.5)
    }

    /// Perfect output maps (logit peaks, sizes and offsets at the targets) decode back to the boxes.
    func testDecodingPerfectMapsRecoversTheBoxes() {
        let boxes = [GroundTruthObject(className: "disk", box: BoundingBox(xmin: 5, ymin: 9, xmax: 22, ymax: 30)),
                     GroundTruthObject(className: "triangle", box: BoundingBox(xmin: 41, ymin: 3, xmax: 60, ymax: 14))]
        let targets = CenterNetTargets(objects: [boxes], classes: classes, mosaicWidth: 64, mosaicHeight: 48)
        let cells = 12 * 16
        var size = [Float](repeating: 1, count: 2 * cells), offset = [Float](repeating: 0, count: 2 * cells)
        for slot in 0..<2 {
            for channel in 0..<2 {
                let t = channel * targets.maxObjects + slot
                size[channel * cells + targets.indices[t]] = targets.size.scalars[t]
                offset[channel * cells + targets.indices[t]] = targets.offset.scalars[t]
            }
        }
        let logits = targets.heatmap.scalars.map { $0 == 1 ? Float(5) : Float(-5) }
        let output = CenterNetDetector.Output(heatmapLogits: Tensor(shape: [1, 3, 12, 16], scalars: logits),
                                              size: Tensor(shape: [1, 2, 12, 16], scalars: size), offset: Tensor(shape: [1, 2, 12, 16], scalars: offset))
        let decoded = DetectionDecoding(scoreThreshold: 0.5).decode(output, batchIndex: 0, classes: classes, image: "a", mosaicWidth: 64, mosaicHeight: 48)
        XCTAssertEqual(decoded.count, 2)
        for object in boxes {
            let match = decoded.first { $0.className == object.className }!
            XCTAssertEqual(match.box.xmin, object.box.xmin, accuracy: 1e-4)
            XCTAssertEqual(match.box.xmax, object.box.xmax, accuracy: 1e-4)
            XCTAssertEqual(match.box.ymin, object.box.ymin, accuracy: 1e-4)
            XCTAssertEqual(match.box.ymax, object.box.ymax, accuracy: 1e-4)
        }
    }

    func testNonMaximumSuppressionIsPerClass() {
        let a = BoundingBox(xmin: 1, ymin: 1, xmax: 20, ymax: 20), b = BoundingBox(xmin: 2, ymin: 2, xmax: 21, ymax: 21)
        let kept = NonMaximumSuppression.perClass([
            DetectedObject(image: "i", className: "x", score: 0.6, box: b),
            DetectedObject(image: "i", className: "x", score: 0.9, box: a),
            DetectedObject(image: "i", className: "y", score: 0.5, box: b),
        ], iouThreshold: 0.5)
        XCTAssertEqual(kept.map(\.score), [0.9, 0.5])
    }
}

import Quantization
import RawIO
import SensorSimulation
import TestSupport
import TrainableQuantizers

/// The server side: detecting from the codes a sensor sent equals detecting on the raw mosaic.
final class CodesDetectionTests: XCTestCase {
    func testDetectingFromCodesEqualsDetectingFromTheRawMosaic() throws {
        let image = try RawDecoder.decode(path: Fixtures.path("generated/synthetic_gbrg_12bit.dng"))
        for name: InputRepresentation in [.gammaPerColor, .bwsq, .lsq, .log] {
            let detector = RawDetector(quantizer: try QuantizerDescription(name, bits: 3), classes: ["a", "b"], baseChannels: 4,
                                       adcRange: Float(image.whiteLevel - image.blackLevels[0]), seed: 2)
            if let gamma = detector.quantizer as? LearnableGammaQuantizer { gamma.setGamma([0.3, 0.4, 0.5]) }
            detector.decoding.scoreThreshold = 0
            let codes = try SensorSimulator.simulate(image, spec: try detector.quantizer.deploySpec()).mosaic
            let fromCodes = try detector.detect(codes: codes, name: "x")
            XCTAssertFalse(fromCodes.isEmpty)
            XCTAssertEqual(fromCodes, detector.detect(image, name: "x"), name.rawValue)
        }
    }

    func testCodesFromAnotherQuantizerAreRefused() throws {
        let image = try RawDecoder.decode(path: Fixtures.path("generated/synthetic_rggb_12bit.dng"))
        let detector = RawDetector(quantizer: try QuantizerDescription(.gammaPerColor, bits: 4), classes: ["a"], baseChannels: 4, seed: 1)
        let codes = try SensorSimulator.simulate(image, spec: try .linear(bits: 4)).mosaic
        XCTAssertThrowsError(try detector.detect(codes: codes, name: "x"))
    }
}
