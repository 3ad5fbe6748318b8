import DetectionData
import XCTest

/// AP@0.5 by object size (COCO's area ranges): objects of other sizes and unmatched detections of other sizes
/// are ignored, so each size is scored as if only its objects were there.
final class SizeAPTests: XCTestCase {
    private func box(_ x: Double, _ y: Double, _ side: Double) -> BoundingBox {
        BoundingBox(xmin: x, ymin: y, xmax: x + side - 1, ymax: y + side - 1)
    }

    func testEachSizeSeesOnlyItsObjects() {
        // One small (20 px), one medium (50 px) and one large (200 px) person; the small one is missed, and a
        // small false positive scores highest.
        let truth = ["a": [GroundTruthObject(className: "person", box: box(1, 1, 20)),
                           GroundTruthObject(className: "person", box: box(100, 100, 50)),
                           GroundTruthObject(className: "person", box: box(300, 300, 200))]]
        let detections = [DetectedObject(image: "a", className: "person", score: 0.9, box: box(600, 1, 16)),
                          DetectedObject(image: "a", className: "person", score: 0.8, box: box(301, 301, 198)),
                          DetectedObject(image: "a", className: "person", score: 0.7, box: box(100, 100, 50))]
        let result = AveragePrecision.evaluate(groundTruth: truth, detections: detections, classes: ["person"])
        let bySize = result.ap50PerSize!
        XCTAssertEqual(bySize["large"]!["person"]!!, 1, accuracy: 1e-12)   // the small false positive is ignored
        XCTAssertEqual(bySize["medium"]!["person"]!!, 1, accuracy: 1e-12)
        XCTAssertEqual(bySize["small"]!["person"]!!, 0, accuracy: 1e-12)   // one small object, never found
        // Over all sizes: the false positive ranks first, recall 2/3.
        XCTAssertEqual(result.ap50PerClass["person"]!!, 2.0 / 3 * (2.0 / 3), accuracy: 1e-12)
        // A size with no object of the class has no AP.
        let onlyLarge = AveragePrecision.evaluate(groundTruth: ["a": [truth["a"]![2]]], detections: detections, classes: ["person"])
        XCTAssertNil(onlyLarge.ap50PerSize!["small"]!["person"]!)
    }

    func testAreaRangesAreCOCOs() {
        XCTAssertTrue(ObjectSize.small.areaRange.contains(32 * 32))
        XCTAssertTrue(ObjectSize.medium.areaRange.contains(32 * 32 + 1))
        XCTAssertTrue(ObjectSize.large.areaRange.contains(96 * 96 + 1))
        XCTAssertFalse(ObjectSize.medium.areaRange.contains(96 * 96 + 1))
    }
}
