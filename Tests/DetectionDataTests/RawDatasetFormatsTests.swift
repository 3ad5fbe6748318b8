import Bayer
import DetectionData
import Foundation
import RawIO
import TestSupport
import XCTest

/// The YOLO and PASCALRAW loaders on generated stand-in mosaics.
final class RawDatasetFormatsTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    /// The visible size PASCALRAW's paper gives for its Nikon D3200 NEFs.
    static let pascalRawSize = (width: 6034, height: 4012)

    /// A flat DNG stand-in of `width` × `height` at `path`.
    static func writeStandIn(_ path: String, width: Int, height: Int) throws {
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        let description = DNGDescription(width: width, height: height, cfa: .rggb, blackLevels: [0, 0, 0, 0], whiteLevel: 4095)
        try DNGWriter.write(description, to: path) { row, out in
            for c in 0..<width { out[c] = UInt16((row &+ c) % 4000 + 50) }
        }
    }

    func testYOLOBoxesAreFractionsOfTheRaw() throws {
        for (split, id) in [("train", "a"), ("train", "b"), ("val", "c")] {
            try Self.writeStandIn("\(directory)/images/\(split)/\(id).dng", width: 64, height: 48)
            try FileManager.default.createDirectory(atPath: "\(directory)/labels/\(split)", withIntermediateDirectories: true)
            try "1 0.5 0.5 0.25 0.5\n0 0.125 0.25 0.25 0.5\n".write(toFile: "\(directory)/labels/\(split)/\(id).txt", atomically: true, encoding: .utf8)
        }
        try "names: [person, car]\n".write(toFile: "\(directory)/data.yaml", atomically: true, encoding: .utf8)
        let train = try DatasetLoader.load(directory: directory, split: "train", options: DatasetLoadOptions(classes: ["person", "car"]))
        XCTAssertEqual(train.format, .yolo)
        XCTAssertEqual(train.images.map(\.id), ["a", "b"])
        XCTAssertEqual(train.images[0].objects, [
            GroundTruthObject(className: "car", box: BoundingBox(xmin: 25, ymin: 13, xmax: 40, ymax: 36)),
            GroundTruthObject(className: "person", box: BoundingBox(xmin: 1, ymin: 1, xmax: 16, ymax: 24)),
        ])
        XCTAssertEqual(try DatasetLoader.load(directory: directory, split: "val").images.map(\.id), ["c"])
        XCTAssertThrowsError(try DatasetLoader.load(directory: directory, split: "test")) { XCTAssertTrue("\($0)".contains("test"), "\($0)") }
        // A split list instead of folders.
        try "images/train/a.dng\n".write(toFile: "\(directory)/trainval.txt", atomically: true, encoding: .utf8)
        XCTAssertEqual(try DatasetLoader.load(directory: directory, split: "trainval").images.map(\.id), ["a"])
        // Without a names file: a clear error.
        try FileManager.default.removeItem(atPath: "\(directory)/data.yaml")
        XCTAssertThrowsError(try DatasetLoader.load(directory: directory, split: "train")) { XCTAssertTrue("\($0)".contains("--class-names"), "\($0)") }
    }

    /// NEF-sized stand-ins with VOC XML on PASCALRAW's 600×400 renderings: boxes scale to the raw's visible area.
    func testPascalRawVOCBoxesScaleToTheNEF() throws {
        let (w, h) = Self.pascalRawSize
        try FileManager.default.createDirectory(atPath: directory + "/annotations", withIntermediateDirectories: true)
        try Self.writeStandIn(directory + "/original/raw/2014_000001.dng", width: w, height: h)
        let xml = "<annotation><filename>2014_000001.png</filename><size><width>600</width><height>400</height><depth>3</depth></size>"
            + "<object><name>person</name><difficult>0</difficult><bndbox><xmin>61</xmin><ymin>41</ymin><xmax>120</xmax><ymax>200</ymax></bndbox></object></annotation>"
        try xml.write(toFile: directory + "/annotations/2014_000001.xml", atomically: true, encoding: .utf8)
        try "2014_000001\n".write(toFile: directory + "/test.txt", atomically: true, encoding: .utf8)
        let loaded = try DatasetLoader.load(directory: directory, split: "test", options: DatasetLoadOptions(format: .pascalraw))
        let box = try XCTUnwrap(loaded.images.first?.objects.first?.box)
        XCTAssertEqual([loaded.images[0].width, loaded.images[0].height], [w, h])
        let sx = Double(w) / 600, sy = Double(h) / 400
        XCTAssertEqual(box.xmin, 60 * sx + 1, accuracy: 1e-9)
        XCTAssertEqual(box.xmax, 120 * sx, accuracy: 1e-9)
        XCTAssertEqual(box.ymin, 40 * sy + 1, accuracy: 1e-9)
        XCTAssertEqual(box.ymax, 200 * sy, accuracy: 1e-9)
    }

    /// The real RAM COCO split of PASCALRAW (labels only, from ../shared/real) with two NEF-sized stand-ins:
    /// 602×400 boxes rescaled to the raw, string ids and `.npy` names matched by stem, the rest counted missing.
    func testPascalRawRAMSplitWithTheRealAnnotations() throws {
        let shared = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/real/annotations/pascalraw-coco-RAM/dng_instances_test.json").path
        guard FileManager.default.fileExists(atPath: shared) else {
            throw XCTSkip("the PASCALRAW annotations of ../shared/real are not beside this checkout (never committed); "
                          + "testPascalRawVOCBoxesScaleToTheNEF and DatasetLoaderTests cover the rescaling")
        }
        try FileManager.default.createDirectory(atPath: directory + "/annotations", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory + "/annotations/dng_instances_test.json", withDestinationPath: shared)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: shared))) as? [String: Any])
        let images = try XCTUnwrap(json["images"] as? [[String: Any]])
        let annotations = try XCTUnwrap(json["annotations"] as? [[String: Any]])
        XCTAssertEqual(images.count, 852)
        let chosen = images.prefix(2).map { $0["id"] as! String }
        let (w, h) = Self.pascalRawSize
        for id in chosen { try Self.writeStandIn(directory + "/raw/\(id).dng", width: w, height: h) }
        let loaded = try DatasetLoader.load(directory: directory, split: "test", options: DatasetLoadOptions(format: .pascalraw, onInvalid: .skip))
        XCTAssertEqual(loaded.images.map(\.id), chosen.sorted())
        XCTAssertEqual(loaded.skipped["missing raw file"], 850)
        XCTAssertEqual(Set(loaded.classes).isSubset(of: ["person", "bicycle", "car"]), true)
        for image in loaded.images {
            let expected = annotations.filter { $0["image_id"] as? String == image.id }.map { $0["bbox"] as! [Double] }
            XCTAssertEqual(image.objects.count, expected.count)
            for (object, bbox) in zip(image.objects, expected) {
                XCTAssertEqual(object.box.xmin, bbox[0] * Double(w) / 602 + 1, accuracy: 1e-6)
                XCTAssertEqual(object.box.xmax, (bbox[0] + bbox[2]) * Double(w) / 602, accuracy: 1e-6)
                XCTAssertEqual(object.box.ymax, (bbox[1] + bbox[3]) * Double(h) / 400, accuracy: 1e-6)
            }
        }
    }
}
