import DetectionData
import XCTest

final class YOLOAnnotationsTests: XCTestCase {
    func testParsesLabelsIntoPixelBoxes() throws {
        let labels = try YOLOAnnotations.parse(Array("0 0.5 0.5 0.25 0.5\n\n2 0.1 0.9 0.2 0.2\n".utf8), path: "a.txt", classCount: 3)
        XCTAssertEqual(labels.count, 2)
        let box = labels[0].box(imageWidth: 200, imageHeight: 100)
        XCTAssertEqual(box, BoundingBox(xmin: 76, ymin: 26, xmax: 125, ymax: 75))
        // A box reaching past the border is clipped to the image.
        XCTAssertEqual(labels[1].box(imageWidth: 200, imageHeight: 100), BoundingBox(xmin: 1, ymin: 81, xmax: 40, ymax: 100))
    }

    func testRefusesMalformedLines() {
        for (text, message) in [("0 0.5 0.5 0.2\n", "line 1: expected CLASS CX CY W H"), ("3 0.5 0.5 0.2 0.2\n", "not an index in 0..<3"),
                                ("0 0.5 0.5 0.2 0.2\n1 0.5 1.5 0.2 0.2\n", "line 2: box values"), ("0 0.5 0.5 0 0.2\n", "positive"),
                                ("0 nan 0.5 0.2 0.2\n", "numbers in [0, 1]"), ("0 0.5 0.5 0.2 0.2 0.1 0.1\n", "got 7 fields")] {
            XCTAssertThrowsError(try YOLOAnnotations.parse(Array(text.utf8), path: "lbl.txt", classCount: 3)) { error in
                XCTAssertTrue("\(error)".contains("lbl.txt") && "\(error)".contains(message), "\(text): \(error)")
            }
        }
        XCTAssertThrowsError(try YOLOAnnotations.parse([0xFF, 0xFE], path: "x.txt", classCount: 1))
    }

    func testClassNameFiles() throws {
        XCTAssertEqual(try ClassNamesFile.parse(Array("person\nbicycle\n\ncar\n".utf8), path: "c.txt", yaml: false), ["person", "bicycle", "car"])
        let indexed = "path: .\ntrain: images/train2017\nnames:\n  0: person\n  1: 'traffic light'\n  2: car  # a comment\nnc: 3\n"
        XCTAssertEqual(try ClassNamesFile.parse(Array(indexed.utf8), path: "d.yaml", yaml: true), ["person", "traffic light", "car"])
        XCTAssertEqual(try ClassNamesFile.parse(Array("names:\n  - person\n  - car\n".utf8), path: "d.yaml", yaml: true), ["person", "car"])
        XCTAssertEqual(try ClassNamesFile.parse(Array("nc: 2\nnames: ['person', \"car\"]\n".utf8), path: "d.yaml", yaml: true), ["person", "car"])
        for bad in ["names:\n  0: a\n  2: b\n", "train: x\n", "names:\n  0: a\n  0: b\n", "names: [a, a]\n"] {
            XCTAssertThrowsError(try ClassNamesFile.parse(Array(bad.utf8), path: "bad.yaml", yaml: true), bad)
        }
    }

    func testCOCOStringImageIDs() throws {
        let json = #"{"images": [{"id": "2014_000001", "file_name": "2014_000001.npy", "width": 602, "height": 400}], "annotations": [{"image_id": "2014_000001", "category_id": 0, "bbox": [10, 20, 30, 40]}], "categories": [{"id": 0, "name": "person"}]}"#
        let images = try AnnotationParser.coco(Array(json.utf8), path: "s.json")
        XCTAssertEqual(images.map(\.id), ["2014_000001"])
        XCTAssertEqual(images[0].objects.map(\.box), [BoundingBox(xmin: 11, ymin: 21, xmax: 40, ymax: 60)])
    }
}
