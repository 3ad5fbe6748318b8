import Bayer
import DetectionData
import Foundation
import RawIO
import Support
import TestSupport
import XCTest
import Unprocessing

final class UnprocessedDatasetTests: XCTestCase {
    /// A source folder: `count` JPEG photos (odd sizes) in train2017/ and val2017/, a COCO JSON per split,
    /// and YOLO labels with a names file. Box i of photo k: one "person" and one "car".
    static func makeSource(count: Int = 6) throws -> (root: String, boxes: [String: [GroundTruthObject]]) {
        let root = try Fixtures.temporaryDirectory()
        var boxes: [String: [GroundTruthObject]] = [:]
        for split in ["train2017", "val2017"] {
            try FileManager.default.createDirectory(atPath: "\(root)/images/\(split)", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: "\(root)/labels/\(split)", withIntermediateDirectories: true)
            var images: [String] = [], annotations: [String] = []
            for k in 0..<count {
                let index = (split == "train2017" ? 0 : 100) + k
                let id = String(format: "%012d", index)
                let width = 61 + 2 * k, height = 47 + k
                try TestPhotos.writeJPEG(TestPhotos.gradient(width: width, height: height, seed: UInt64(index)), to: "\(root)/images/\(split)/\(id).jpg")
                // COCO boxes: continuous [x, y, w, h]; the car reaches the last (odd) column, which the even crop drops.
                let person = [3.0 + Double(k), 5.0, 20.0, 30.0], car = [Double(width) - 15, 10.0, 15.0, 12.0]
                images.append(#"{"id": \#(index), "file_name": "\#(id).jpg", "width": \#(width), "height": \#(height)}"#)
                annotations.append(#"{"id": \#(2 * index), "image_id": \#(index), "category_id": 1, "bbox": [\#(person.map { "\($0)" }.joined(separator: ","))], "iscrowd": 0}"#)
                annotations.append(#"{"id": \#(2 * index + 1), "image_id": \#(index), "category_id": 3, "bbox": [\#(car.map { "\($0)" }.joined(separator: ","))], "iscrowd": 0}"#)
                let yolo = [(0, person), (2, car)].map { cls, b in
                    "\(cls) \((b[0] + b[2] / 2) / Double(width)) \((b[1] + b[3] / 2) / Double(height)) \(b[2] / Double(width)) \(b[3] / Double(height))"
                }
                try yolo.joined(separator: "\n").write(toFile: "\(root)/labels/\(split)/\(id).txt", atomically: true, encoding: .utf8)
                boxes[id] = [GroundTruthObject(className: "person", box: BoundingBox(cocoXYWH: person)),
                             GroundTruthObject(className: "car", box: BoundingBox(cocoXYWH: car))]
            }
            let json = #"{"images": [\#(images.joined(separator: ","))], "annotations": [\#(annotations.joined(separator: ","))], "#
                + #""categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "bicycle"}, {"id": 3, "name": "car"}]}"#
            try FileManager.default.createDirectory(atPath: "\(root)/annotations", withIntermediateDirectories: true)
            try json.write(toFile: "\(root)/annotations/instances_\(split).json", atomically: true, encoding: .utf8)
        }
        try "names:\n  0: person\n  1: bicycle\n  2: car\n".write(toFile: "\(root)/data.yaml", atomically: true, encoding: .utf8)
        return (root, boxes)
    }

    /// COCO and YOLO sources give the same boxes, which reach the layout in mosaic pixels (rounded to whole
    /// pixels, clipped by the even crop) and read back through the dataset loader.
    func testBoxesSurviveTheLayout() throws {
        let (root, expected) = try Self.makeSource()
        for format in [PhotoAnnotationFormat.coco, .yolo] {
            let annotations = format == .coco ? "\(root)/annotations" : "\(root)/labels"
            let source = try PhotoSource.load(images: "\(root)/images", annotations: annotations, format: format)
            XCTAssertEqual(source.records.count, 12)
            let out = try Fixtures.temporaryDirectory()
            var options = UnprocessOptions(cameras: [.canonEOS30D])
            options.noise = false
            let manifest = try UnprocessedDataset.write(source: source, described: [], options: options, to: out)
            XCTAssertEqual(manifest.entries.count, 12)
            let loaded = try DatasetLoader.load(directory: out, split: nil, options: DatasetLoadOptions(classes: ["person", "bicycle", "car"]))
            XCTAssertEqual(loaded.images.count, 12)
            for image in loaded.images {
                XCTAssertEqual(image.width % 2, 0)
                XCTAssertEqual(image.height % 2, 0)
                let truth = try XCTUnwrap(expected[image.id])
                XCTAssertEqual(image.objects.map(\.className), truth.map(\.className), format.rawValue)
                for (got, want) in zip(image.objects, truth) {
                    XCTAssertEqual(got.box.xmin, want.box.xmin, accuracy: 0.5 + 1e-9)
                    XCTAssertEqual(got.box.ymin, want.box.ymin, accuracy: 0.5 + 1e-9)
                    XCTAssertEqual(got.box.ymax, want.box.ymax, accuracy: 0.5 + 1e-9)
                    XCTAssertEqual(got.box.xmax, min(want.box.xmax, Double(image.width)), accuracy: 0.5 + 1e-9)
                }
            }
        }
    }

    /// train2017 → train with a seeded validation part, val2017 → test; --split overrides; no source splits → 70/10/20.
    func testSplits() throws {
        let (root, _) = try Self.makeSource(count: 10)
        let source = try PhotoSource.load(images: "\(root)/images", annotations: "\(root)/annotations", format: .coco)
        var options = UnprocessOptions(cameras: [.canonEOS30D])
        let splits = UnprocessedDataset.splits(of: source.records, options: options)
        for (record, split) in zip(source.records, splits) {
            XCTAssertEqual(record.sourceSplit == "val2017" ? "test" : "train/val", split == "test" ? "test" : "train/val")
        }
        XCTAssertEqual(splits.filter { $0 == "val" }.count, 1)  // 10 % of 10 training photos
        options.split = "test"
        XCTAssertEqual(Set(UnprocessedDataset.splits(of: source.records, options: options)), ["test"])
        options.split = nil
        let unsplit = source.records.map { var r = $0; r.sourceSplit = nil; return r }
        let counts = Dictionary(grouping: UnprocessedDataset.splits(of: unsplit, options: options), by: { $0 }).mapValues(\.count)
        XCTAssertEqual(counts, ["train": 14, "val": 2, "test": 4])
    }

    /// The same seed gives the same bytes for one and two workers; another seed gives other noise.
    func testDeterministicForAnyThreadCount() throws {
        let (root, _) = try Self.makeSource(count: 3)
        let source = try PhotoSource.load(images: "\(root)/images", annotations: "\(root)/annotations", format: .coco)
        var options = UnprocessOptions(cameras: [.canonEOS30D, CameraProfile.canonEOS30D.withADCBits(14)])
        options.cfa = .mixed
        func run(_ jobs: Int, seed: UInt64) throws -> [Data] {
            options.seed = seed
            let out = try Fixtures.temporaryDirectory()
            let manifest = try UnprocessedDataset.write(source: source, described: [], options: options, to: out, concurrency: jobs)
            return try manifest.entries.map { try Data(contentsOf: URL(fileURLWithPath: "\(out)/\($0.file)")) }
                + [try Data(contentsOf: URL(fileURLWithPath: "\(out)/dataset.json"))]
        }
        let one = try run(1, seed: 5)
        XCTAssertEqual(one, try run(2, seed: 5))
        XCTAssertNotEqual(one, try run(2, seed: 6))
        // A photo's draw depends on its id and the seed only.
        XCTAssertEqual(UnprocessedDataset.draw(id: "000000000001", options: options), UnprocessedDataset.draw(id: "000000000001", options: options))
    }

    func testDrawsCoverTheRanges() {
        var options = UnprocessOptions(cameras: [.canonEOS30D])
        options.exposureRange = 0.1...0.4
        options.isoRange = 200...800
        options.cfa = .mixed
        let draws = (0..<400).map { UnprocessedDataset.draw(id: "img\($0)", options: options) }
        XCTAssertTrue(draws.allSatisfy { (0.1...0.4).contains($0.exposure) && (200...800).contains($0.iso) })
        XCTAssertEqual(Set(draws.map(\.cfa)).count, 4)
        let gain = CameraProfile.canonEOS30D.gains[0]
        XCTAssertTrue(draws.allSatisfy { $0.whiteBalanceGains[0] >= gain / 1.1 - 1e-12 && $0.whiteBalanceGains[0] <= gain * 1.1 + 1e-12 })
        // Log-uniform: about half the draws below the geometric mean.
        XCTAssertEqual(Double(draws.filter { $0.exposure < 0.2 }.count) / 400, 0.5, accuracy: 0.08)
    }

    /// A class filter drops other boxes and keeps images as negatives; a broken photo is an error naming it,
    /// or counted with skipInvalid.
    func testClassFilterAndInvalidPhotos() throws {
        let (root, _) = try Self.makeSource(count: 2)
        try Data("not a jpeg".utf8).write(to: URL(fileURLWithPath: "\(root)/images/train2017/000000000001.jpg"))
        let source = try PhotoSource.load(images: "\(root)/images", annotations: "\(root)/annotations", format: .coco)
        var options = UnprocessOptions(cameras: [.canonEOS30D])
        options.classes = ["car"]
        XCTAssertThrowsError(try UnprocessedDataset.write(source: source, described: [], options: options,
                                                          to: try Fixtures.temporaryDirectory())) { error in
            XCTAssertTrue("\(error)".contains("000000000001.jpg"), "\(error)")
        }
        options.skipInvalid = true
        let out = try Fixtures.temporaryDirectory()
        let manifest = try UnprocessedDataset.write(source: source, described: [], options: options, to: out)
        XCTAssertEqual(manifest.entries.count, 3)
        XCTAssertEqual(manifest.skipped.values.reduce(0, +), 1)
        let loaded = try DatasetLoader.load(directory: out, split: nil, options: DatasetLoadOptions(classes: ["car"]))
        XCTAssertTrue(loaded.images.allSatisfy { $0.objects.map(\.className) == ["car"] })
    }

    func testMalformedYOLOLabelNamesFileAndLine() throws {
        let (root, _) = try Self.makeSource(count: 1)
        try "0 0.5 0.5 0.2 0.2\n7 0.5 0.5 0.1 0.1\n".write(toFile: "\(root)/labels/train2017/000000000000.txt", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PhotoSource.load(images: "\(root)/images", annotations: "\(root)/labels", format: .yolo)) { error in
            XCTAssertTrue("\(error)".contains("000000000000.txt") && "\(error)".contains("line 2"), "\(error)")
        }
        let skipped = try PhotoSource.load(images: "\(root)/images", annotations: "\(root)/labels", format: .yolo, skipInvalid: true)
        XCTAssertEqual(skipped.records.count, 1)
        XCTAssertEqual(skipped.skipped["malformed label file"], 1)
    }

    func testFormatDetection() throws {
        let (root, _) = try Self.makeSource(count: 1)
        XCTAssertEqual(try PhotoSource.detectFormat("\(root)/annotations"), .coco)
        XCTAssertEqual(try PhotoSource.detectFormat("\(root)/annotations/instances_train2017.json"), .coco)
        XCTAssertEqual(try PhotoSource.detectFormat("\(root)/labels"), .yolo)
        XCTAssertThrowsError(try PhotoSource.detectFormat("\(root)/images"))
    }
}

final class PhotoDecoderTests: XCTestCase {
    /// PNG photos (RGB and grey) decode to the same pixels they hold; JPEG and PNG are told apart by content.
    func testPNGPhotos() throws {
        let root = try Fixtures.temporaryDirectory()
        let photo = TestPhotos.gradient(width: 30, height: 24)
        let rgb = MinimalPNG.encode(width: 30, height: 24, colorType: .rgb, bitDepth: 8, samples: photo.pixels.map(UInt16.init))
        try Data(rgb).write(to: URL(fileURLWithPath: root + "/a.png"))
        XCTAssertEqual(try PhotoDecoder.decode(path: root + "/a.png").pixels, photo.pixels)
        let grey = MinimalPNG.encode(width: 2, height: 1, colorType: .gray, bitDepth: 16, samples: [0, 65535])
        try Data(grey).write(to: URL(fileURLWithPath: root + "/g.jpg"))  // the name says JPEG, the bytes say PNG
        XCTAssertEqual(try PhotoDecoder.decode(path: root + "/g.jpg").pixels, [0, 0, 0, 255, 255, 255])
        try Data("hello".utf8).write(to: URL(fileURLWithPath: root + "/t.png"))
        XCTAssertThrowsError(try PhotoDecoder.decode(path: root + "/t.png")) { XCTAssertTrue("\($0)".contains("t.png"), "\($0)") }
        XCTAssertThrowsError(try PhotoDecoder.decode(path: root + "/missing.jpg")) { XCTAssertTrue("\($0)".contains("missing.jpg"), "\($0)") }
    }
}

final class PhotoSourceMergeTests: XCTestCase {
    /// Two sources with an overlapping photo: it is taken once, from the first; classes are the union.
    func testMergingDeduplicatesByID() throws {
        let (root, _) = try UnprocessedDatasetTests.makeSource(count: 2)
        let coco = try PhotoSource.load(images: "\(root)/images", annotations: "\(root)/annotations", format: .coco)
        let yolo = try PhotoSource.load(images: "\(root)/images", annotations: "\(root)/labels", format: .yolo)
        let merged = PhotoSource.merged([coco, yolo])
        XCTAssertEqual(merged.records.map(\.id), coco.records.map(\.id))
        XCTAssertEqual(merged.skipped["duplicate image id"], yolo.records.count)
        XCTAssertEqual(merged.records.map(\.annotationPath), coco.records.map(\.annotationPath))
        XCTAssertEqual(Set(merged.classes), Set(coco.classes + yolo.classes))
    }
}
