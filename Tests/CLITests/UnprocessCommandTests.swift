import Foundation
import RawQuant
import TestSupport
import XCTest

/// `rawquant unprocess` on generated photos, then the dataset through inspect, train, detect and eval.
final class UnprocessCommandTests: XCTestCase {
    /// Writes `count` JPEG photos with one "person" box each and a COCO JSON naming them.
    static func writePhotos(into root: String, count: Int) throws {
        try FileManager.default.createDirectory(atPath: root + "/photos", withIntermediateDirectories: true)
        var images: [String] = [], annotations: [String] = []
        for k in 0..<count {
            let width = 72 + 2 * k, height = 65
            try JPEGFile.write(to: "\(root)/photos/p\(k).jpg", width: width, height: height) { row, out in
                for c in 0..<width {
                    let inside = (10..<40).contains(c) && (12..<50).contains(row)
                    out[3 * c] = inside ? 220 : UInt8(40 + c); out[3 * c + 1] = inside ? 60 : 90; out[3 * c + 2] = UInt8(30 + row)
                }
            }
            images.append(#"{"id": \#(k + 1), "file_name": "p\#(k).jpg", "width": \#(width), "height": \#(height)}"#)
            annotations.append(#"{"id": \#(k + 1), "image_id": \#(k + 1), "category_id": 1, "bbox": [10, 12, 30, 38]}"#)
        }
        let json = #"{"images": [\#(images.joined(separator: ","))], "annotations": [\#(annotations.joined(separator: ","))], "categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "car"}]}"#
        try json.write(toFile: root + "/coco.json", atomically: true, encoding: .utf8)
    }

    func testUnprocessThenTrainDetectEval() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.writePhotos(into: root, count: 8)
        let run = try CLIRunner.run(["unprocess", "--images", root + "/photos", "--annotations", root + "/coco.json", "--format", "coco",
                                     "--classes", "person", "--seed", "3", "--out", root + "/data"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("wrote 8 mosaics (8 boxes"), run.stdout)
        XCTAssertTrue(run.stderr.contains("unprocess ["), "a progress bar: \(run.stderr)")
        let inspect = try CLIRunner.run(["inspect", "--json", root + "/data/raw/p0.dng"])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        let info = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(info["model"] as? String, "EOS 30D")
        XCTAssertEqual(info["width"] as? Int, 72)
        XCTAssertEqual(info["height"] as? Int, 64)

        let train = try CLIRunner.run(["train", "--data", root + "/data", "--train-split", "trainval", "--quantizer", "gamma-per-channel",
                                       "--epochs", "1", "--batch", "2", "--width", "4", "--crop", "32x32", "--out", root + "/run"])
        XCTAssertEqual(train.status, 0, train.stderr)
        let model = root + "/run/checkpoint.safetensors"
        let detect = try CLIRunner.run(["detect", "--model", model, "--json", "--score-threshold", "0", root + "/data/raw/p1.dng"])
        XCTAssertEqual(detect.status, 0, detect.stderr)
        let eval = try CLIRunner.run(["eval", "--model", model, "--data", root + "/data", "--split", "test", "--json"])
        XCTAssertEqual(eval.status, 0, eval.stderr)

        // The documented check: one split, one class.
        let test = try CLIRunner.run(["unprocess", "--images", root + "/photos", "--annotations", root + "/coco.json", "--format", "coco",
                                      "--classes", "person", "--split", "test", "--seed", "9", "--out", root + "/test"])
        XCTAssertEqual(test.status, 0, test.stderr)
        XCTAssertEqual(try String(contentsOfFile: root + "/test/ImageSets/Main/test.txt", encoding: .utf8).split(separator: "\n").count, 8)
    }

    func testErrorsNameTheFileAndWriteNothing() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.writePhotos(into: root, count: 2)
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: root + "/photos/p1.jpg"))
        let base = ["unprocess", "--images", root + "/photos", "--annotations", root + "/coco.json"]
        let broken = try CLIRunner.run(base + ["--out", root + "/a"])
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stderr.contains("p1.jpg"), broken.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/a/dataset.json"))
        let skipped = try CLIRunner.run(base + ["--skip-invalid", "--out", root + "/b"])
        XCTAssertEqual(skipped.status, 0, skipped.stderr)
        XCTAssertTrue(skipped.stdout.contains("wrote 1 mosaics") && skipped.stdout.contains("skipped 1"), skipped.stdout)
        for (bad, message) in [(["--classes", "giraffe"], "no \"giraffe\" boxes"), (["--exposure-range", "2,1"], "--exposure-range"),
                               (["--cfa", "RGBX"], "--cfa"), (["--adc-bits", "20"], "--adc-bits"), (["--split", "dev"], "--split")] {
            let failed = try CLIRunner.run(base + bad + ["--skip-invalid", "--out", root + "/c"])
            XCTAssertNotEqual(failed.status, 0, "\(bad)")
            XCTAssertTrue(failed.stderr.contains(message), "\(bad): \(failed.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/c/dataset.json"), "\(bad)")
        }
        let camera = try CLIRunner.run(base + ["--camera", root + "/photos/p0.jpg", "--out", root + "/d"])
        XCTAssertEqual(camera.status, 1)
        XCTAssertTrue(camera.stderr.contains("p0.jpg"), camera.stderr)
    }
}
