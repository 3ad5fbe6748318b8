import DetectionData
import Foundation
import Scenes
import TestSupport
import XCTest
import Support

final class DatasetLoaderTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    /// A PASCALRAW-like layout: raw/2014_00000k.dng (48×32) with boxes annotated on a 24×16 rendering.
    private func makePascalRawLike(objects: [String] = ["<object><name>car</name><difficult>0</difficult><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>12</xmax><ymax>8</ymax></bndbox></object>"]) throws {
        for sub in ["raw", "Annotations", "ImageSets/Main"] {
            try FileManager.default.createDirectory(atPath: directory + "/" + sub, withIntermediateDirectories: true)
        }
        for k in 1...2 {
            let id = "2014_00000\(k)"
            try FileManager.default.copyItem(atPath: Fixtures.path("generated/synthetic_rggb_12bit.dng"), toPath: directory + "/raw/\(id).dng")
            let xml = "<annotation><filename>\(id).png</filename><size><width>24</width><height>16</height><depth>3</depth></size>"
                + objects.joined() + "</annotation>"
            try xml.write(toFile: directory + "/Annotations/\(id).xml", atomically: true, encoding: .utf8)
        }
        try "2014_000001\n2014_000002\n".write(toFile: directory + "/ImageSets/Main/train.txt", atomically: true, encoding: .utf8)
    }

    func testPascalRawBoxesAreRescaledToTheMosaic() throws {
        try makePascalRawLike()
        let dataset = try DatasetLoader.load(directory: directory, split: "train")
        XCTAssertEqual(dataset.format, .voc)
        XCTAssertEqual(dataset.classes, ["car"])
        XCTAssertEqual(dataset.images.map(\.id), ["2014_000001", "2014_000002"])
        XCTAssertEqual(dataset.images[0].width, 48)
        XCTAssertEqual(dataset.images[0].objects, [GroundTruthObject(className: "car", box: BoundingBox(xmin: 1, ymin: 1, xmax: 24, ymax: 16))])
        XCTAssertTrue(dataset.images[0].rawPath.hasSuffix("raw/2014_000001.dng"))
    }

    func testCOCOAnnotationsLoadTheSameWay() throws {
        try FileManager.default.createDirectory(atPath: directory + "/raw", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/annotations", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.path("generated/synthetic_bggr_12bit.dng"), toPath: directory + "/raw/2014_000001.nef.dng")
        try FileManager.default.copyItem(atPath: Fixtures.path("generated/synthetic_bggr_12bit.dng"), toPath: directory + "/raw/2014_000007.dng")
        let json = """
        {"images": [{"id": 7, "file_name": "2014_000007.png", "width": 24, "height": 16}],
         "annotations": [{"image_id": 7, "category_id": 2, "bbox": [0, 0, 12, 8], "iscrowd": 0},
                         {"image_id": 7, "category_id": 1, "bbox": [2, 2, 4, 4], "iscrowd": 1}],
         "categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "car"}, {"id": 3, "name": "bicycle"}]}
        """
        try json.write(toFile: directory + "/annotations/instances_test.json", atomically: true, encoding: .utf8)
        let dataset = try DatasetLoader.load(directory: directory, split: "test",
                                             options: DatasetLoadOptions(classes: ["person", "car", "bicycle"]))
        XCTAssertEqual(dataset.format, .coco)
        XCTAssertEqual(dataset.classes, ["person", "car", "bicycle"])
        XCTAssertEqual(dataset.images.count, 1)
        XCTAssertEqual(dataset.images[0].objects, [
            GroundTruthObject(className: "car", box: BoundingBox(xmin: 1, ymin: 1, xmax: 24, ymax: 16)),
            GroundTruthObject(className: "person", box: BoundingBox(xmin: 5, ymin: 5, xmax: 12, ymax: 12), difficult: true),
        ])
    }

    /// Hostile COCO files (issue 13): each is a one-line error naming the file, never a trap or a huge allocation.
    func testHostileCOCOFilesAreClearErrors() throws {
        try FileManager.default.createDirectory(atPath: directory + "/annotations", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.path("generated/synthetic_bggr_12bit.dng"), toPath: directory + "/2014_000007.dng")
        let categories = #""categories": [{"id": 1, "name": "car"}]"#
        let image = #"{"id": 7, "file_name": "2014_000007.png", "width": 24, "height": 16}"#
        let cases: [(String, String)] = [
            (#"{"images": [\#(image),], "annotations": [], \#(categories)}"#, "trailing comma"),
            (#"{"images": [\#(image)], "annotations": [], \#(categories), }"#, "trailing comma"),
            (#"{"images": [{"id": 7, "file_name": "a.png", "width": 9223372036854775807, "height": 16}], "annotations": [], \#(categories)}"#,
             "width and height must be in 0..."),
            (#"{"images": [{"id": 7, "file_name": "a\u0000.png"}], "annotations": [], \#(categories)}"#, "NUL in a string"),
            (#"{"images": [{"id": 7, "file_name": "\#(String(repeating: "x", count: 5000))"}], "annotations": [], \#(categories)}"#,
             "longer than 4096 bytes"),
            (#"{"images": [\#(image)], "annotations": [{"image_id": 7, "category_id": 1, "bbox": [0, 0, 1e300, 8]}], \#(categories)}"#,
             "bbox must be 4 finite numbers"),
            (#"{"images": [\#(image)] /* comment */, "annotations": [], \#(categories)}"#, "malformed COCO annotation JSON"),
            (String(repeating: "[", count: 100_000), "nested deeper than 512"),
            ("{\"images\": NaN}", "malformed COCO annotation JSON"),
        ]
        for (json, fragment) in cases {
            try json.write(toFile: directory + "/annotations/instances_test.json", atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try DatasetLoader.load(directory: directory, split: "test"), json.prefix(60).description) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(fragment), "\(json.prefix(60)): \(text)")
                XCTAssertTrue(text.hasPrefix(directory + "/annotations/instances_test.json: "), text)
                XCTAssertLessThan(text.count, 400, "errors quote little of the file")
            }
        }
    }

    func testSyntheticDatasetLoadsUnchanged() throws {
        var configuration = SceneConfiguration()
        configuration.width = 64
        configuration.height = 48
        let manifest = try SyntheticDataset.write(count: 8, seed: 2, configuration: configuration, to: directory)
        let dataset = try DatasetLoader.load(directory: directory, split: "train")
        XCTAssertEqual(dataset.images.count, manifest.splits["train"])
        XCTAssertTrue(Set(dataset.classes).isSubset(of: ["disk", "square", "triangle"]))
        let scene = SceneGenerator(configuration: configuration).scene(seed: 2, index: Int(dataset.images[0].id.dropFirst(6))!)
        XCTAssertEqual(dataset.images[0].objects.map(\.box), scene.objects.map(\.box))
    }

    func testInvalidItemsFailWithTheFileOrAreSkippedAndCounted() throws {
        try makePascalRawLike(objects: [
            "<object><name>car</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>12</xmax><ymax>8</ymax></bndbox></object>",
            "<object><name>car</name><bndbox><xmin>20</xmin><ymin>1</ymin><xmax>30</xmax><ymax>8</ymax></bndbox></object>",
            "<object><name>boat</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object>",
        ])
        let options = DatasetLoadOptions(classes: ["car"])
        XCTAssertThrowsError(try DatasetLoader.load(directory: directory, split: "train", options: options)) { error in
            let error = error as! FileError
            XCTAssertTrue(error.path.hasSuffix("Annotations/2014_000001.xml"), error.description)
        }
        var skipping = options
        skipping.onInvalid = .skip
        let dataset = try DatasetLoader.load(directory: directory, split: "train", options: skipping)
        XCTAssertEqual(dataset.images.map { $0.objects.count }, [1, 1])
        XCTAssertEqual(dataset.skipped, ["box outside the image": 2, "unknown class": 2])

        try FileManager.default.removeItem(atPath: directory + "/raw/2014_000002.dng")
        XCTAssertThrowsError(try DatasetLoader.load(directory: directory, split: "train", options: DatasetLoadOptions(onInvalid: .fail)))
        XCTAssertEqual(try DatasetLoader.load(directory: directory, split: "train", options: skipping).skipped["missing raw file"], 1)

        try "<annotation><object>".write(toFile: directory + "/Annotations/2014_000001.xml", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try DatasetLoader.load(directory: directory, split: "train", options: skipping)) { error in
            XCTAssertEqual((error as? FileError)?.path, directory + "/Annotations/2014_000001.xml")
            XCTAssertTrue("\(error)".contains("malformed XML: element <object> is not closed"), "\(error)")
        }
        XCTAssertThrowsError(try DatasetLoader.load(directory: directory, split: "val")) { error in
            XCTAssertTrue("\(error)".contains("split list not found"), "\(error)")
        }
        XCTAssertThrowsError(try DatasetLoader.load(directory: directory + "/raw", split: nil)) { error in
            XCTAssertTrue("\(error)".contains("no Annotations/"), "\(error)")
        }
    }
}
