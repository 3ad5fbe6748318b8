import DetectionData
import Foundation
import Support
import TestSupport
import XCTest
import Unprocessing

/// The third-party labelled photographs of ../shared/real/photos (never committed; skipped when absent).
final class RealPhotosTests: XCTestCase {
    static var photos: String { Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/real/photos").path }

    func requirePhotos() throws -> String {
        let coco128 = Self.photos + "/coco128"
        guard FileManager.default.fileExists(atPath: coco128 + "/images/train2017") else {
            throw XCTSkip("the third-party photos of ../shared/real/photos are not beside this checkout (they are never committed); "
                          + "the generated photos of UnprocessedDatasetTests cover the same code")
        }
        return coco128
    }

    /// coco128's train2017 with its YOLO labels: every photo, every box (929), the source's split with a seeded val part.
    func testCOCO128YOLOTrainSplit() throws {
        let coco128 = try requirePhotos()
        let source = try PhotoSource.load(images: coco128 + "/images/train2017", annotations: coco128 + "/object_detection/labels/train2017",
                                          format: .yolo, classNames: coco128 + "/object_detection/config.yaml")
        XCTAssertEqual(source.records.count, 128)
        XCTAssertEqual(source.classes.count, 80)
        XCTAssertEqual(source.classes[0], "person")
        let out = try Fixtures.temporaryDirectory()
        let manifest = try UnprocessedDataset.write(source: source, described: [], options: UnprocessOptions(cameras: [.canonEOS30D]), to: out)
        XCTAssertEqual(manifest.entries.count, 128)
        XCTAssertEqual(manifest.entries.reduce(0) { $0 + $1.objects }, 929)
        XCTAssertEqual(manifest.splits, ["train": 115, "val": 13, "test": 0])
        let loaded = try DatasetLoader.load(directory: out, split: "train", options: DatasetLoadOptions(classes: source.classes))
        XCTAssertEqual(loaded.images.count, 115)
    }

    /// The same photos through COCO JSON give the same boxes as through YOLO (the JSON adds 10 crowd boxes, marked difficult).
    func testCOCOJSONAgreesWithYOLO() throws {
        let coco128 = try requirePhotos()
        let yolo = try PhotoSource.load(images: coco128 + "/images/train2017", annotations: coco128 + "/object_detection/labels/train2017", format: .yolo)
        let coco = try PhotoSource.load(images: coco128 + "/images/train2017", annotations: coco128 + "/coco_json_train2017_developer0hye", format: .coco)
        XCTAssertEqual(coco.records.map(\.id), yolo.records.map(\.id))
        var crowd = 0
        for (a, b) in zip(yolo.records, coco.records) {
            let photo = try PhotoDecoder.decode(path: a.imagePath)
            let fromYOLO = try a.objects(width: photo.width, height: photo.height)
            let fromCOCO = try b.objects(width: photo.width, height: photo.height)
            crowd += fromCOCO.filter(\.difficult).count
            let plain = fromCOCO.filter { !$0.difficult }
            XCTAssertEqual(plain.count, fromYOLO.count, a.id)
            // Sorted by rounded corners: the two files' coordinates differ in the last decimals.
            func key(_ o: GroundTruthObject) -> [Double] { [o.box.xmin, o.box.ymin, o.box.xmax, o.box.ymax].map { $0.rounded() } }
            func ordered(_ a: GroundTruthObject, _ b: GroundTruthObject) -> Bool { key(a).lexicographicallyPrecedes(key(b)) }
            for (y, c) in zip(fromYOLO.sorted(by: ordered), plain.sorted(by: ordered)) {
                XCTAssertEqual(y.className, c.className)
                XCTAssertEqual(y.box.xmin, c.box.xmin, accuracy: 0.05)
                XCTAssertEqual(y.box.xmax, c.box.xmax, accuracy: 0.05)
            }
        }
        XCTAssertEqual(crowd, 10)
    }

    /// Round trip (noiseless, same camera and gains) on a shared photo, away from clipped pixels.
    func testRoundTripOnASharedPhoto() throws {
        let coco128 = try requirePhotos()
        var worst = Double.infinity, keptSum = 0.0
        let paths = try FileManager.default.contentsOfDirectory(atPath: coco128 + "/images/val2017").sorted().prefix(8)
        for name in paths {
            let photo = PhotoGeometry.evenCropped(try PhotoDecoder.decode(path: coco128 + "/images/val2017/" + name))
            let psnr = try UnprocessingStagesTests.roundTripPSNR(photo, camera: .canonEOS30D)
            worst = min(worst, psnr.value)
            keptSum += psnr.kept
        }
        print("round trip on 8 coco128 val2017 photos (12-bit Canon 30D): worst PSNR \(worst) dB, mean unclipped fraction \(keptSum / 8)")
        XCTAssertGreaterThanOrEqual(worst, 40)
    }
}
