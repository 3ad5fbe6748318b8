import DetectionData
import Foundation
import TestSupport
import XCTest

/// The evaluator against independent references: `Tools/make_eval_reference.py` computed the expected
/// values with the VOC devkit's algorithm (numpy) and with pycocotools on the same committed case.
final class ReferenceAPTests: XCTestCase {
    private struct GroundTruthFile: Decodable {
        var classes: [String]
        var images: [String: [GroundTruthObject]]
    }

    private struct Expected: Decodable {
        var ap50PerClass: [String: Double?]
        var mAP50: Double
        var apPerClass: [String: Double?]
        var mAP: Double
    }

    private func load<T: Decodable>(_ name: String, as: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("eval/\(name)"))))
    }

    func testMatchesTheVOCDevkitAndPycocotools() throws {
        let truth = try load("ground_truth.json", as: GroundTruthFile.self)
        let detections = try load("detections.json", as: [DetectedObject].self)
        let expected = try load("expected.json", as: Expected.self)
        let result = AveragePrecision.evaluate(groundTruth: truth.images, detections: detections, classes: truth.classes)
        for name in truth.classes {
            switch (result.ap50PerClass[name]!, expected.ap50PerClass[name]!) {
            case let (actual?, wanted?): XCTAssertEqual(actual, wanted, accuracy: 1e-12, "VOC AP50 \(name)")
            case (nil, nil): break
            case let (actual, wanted): XCTFail("VOC AP50 \(name): \(String(describing: actual)) vs \(String(describing: wanted))")
            }
            switch (result.apPerClass[name]!, expected.apPerClass[name]!) {
            case let (actual?, wanted?): XCTAssertEqual(actual, wanted, accuracy: 1e-12, "COCO AP \(name)")
            case (nil, nil): break
            case let (actual, wanted): XCTFail("COCO AP \(name): \(String(describing: actual)) vs \(String(describing: wanted))")
            }
        }
        XCTAssertEqual(try XCTUnwrap(result.mAP50), expected.mAP50, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(result.mAP), expected.mAP, accuracy: 1e-12)
    }

    func testPerfectDetectionsScoreOneAndIoUConventions() {
        let box = BoundingBox(xmin: 1, ymin: 1, xmax: 10, ymax: 10)
        let half = BoundingBox(xmin: 1, ymin: 1, xmax: 10, ymax: 5)
        XCTAssertEqual(box.vocIoU(half), 0.5)
        XCTAssertEqual(box.cocoIoU(half), 0.5)
        XCTAssertEqual(box.cocoXYWH, [0, 0, 10, 10])
        XCTAssertEqual(BoundingBox(cocoXYWH: [0, 0, 10, 10]), box)
        let truth = ["a": [GroundTruthObject(className: "x", box: box)], "b": []]
        let perfect = [DetectedObject(image: "a", className: "x", score: 0.9, box: box)]
        let result = AveragePrecision.evaluate(groundTruth: truth, detections: perfect, classes: ["x", "y"])
        XCTAssertEqual(result.mAP50, 1)
        XCTAssertEqual(try XCTUnwrap(result.mAP), 1, accuracy: 1e-12)  // pycocotools: tp / (tp + fp + ε)
        XCTAssertEqual(result.ap50PerClass["y"]!, nil)
        // A box with IoU exactly 0.5 is a miss for VOC (> 0.5) and a hit at COCO's 0.5 threshold.
        let borderline = [DetectedObject(image: "a", className: "x", score: 0.9, box: half)]
        let edge = AveragePrecision.evaluate(groundTruth: truth, detections: borderline, classes: ["x"])
        XCTAssertEqual(edge.mAP50, 0)
        XCTAssertEqual(try XCTUnwrap(edge.mAP), 0.1, accuracy: 1e-12)
    }

    func testScaledBoxesKeepPixelEdges() {
        let box = BoundingBox(xmin: 1, ymin: 11, xmax: 60, ymax: 40)
        XCTAssertEqual(box.scaled(x: 10, y: 0.5), BoundingBox(xmin: 1, ymin: 6, xmax: 600, ymax: 20))
    }
}
