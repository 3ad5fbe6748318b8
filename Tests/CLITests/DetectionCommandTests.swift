import DetectionData
import Detection
import Foundation
import Scenes
import TestSupport
import TrainableQuantizers
import XCTest

/// train → detect → eval through the command line on a tiny generated dataset.
final class DetectionCommandTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory()
        try SyntheticDataset.write(count: 20, seed: 8, configuration: .small(trainFraction: 0.6, valFraction: 0.2), to: directory + "/data")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    func testTrainDetectEvalInterfaces() throws {
        let train = try CLIRunner.run(["train", "--data", directory + "/data", "--quantizer", "gamma-per-channel", "--bits", "4", "--epochs", "2",
                                       "--batch", "4", "--width", "4", "--out", directory + "/run"])
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(train.stderr.contains("img/s"), "progress with speed: \(train.stderr)")
        XCTAssertTrue(train.stderr.contains("ETA"), train.stderr)
        XCTAssertTrue(train.stdout.contains("epoch 2:"), train.stdout)
        let model = directory + "/run/checkpoint.safetensors"

        let image = directory + "/data/raw/scene_000001.dng"
        let detect = try CLIRunner.run(["detect", "--model", model, "--json", "--score-threshold", "0", "--preview", directory + "/previews", image])
        XCTAssertEqual(detect.status, 0, detect.stderr)
        let detections = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(detect.stdout.utf8)) as? [[String: Any]])
        XCTAssertFalse(detections.isEmpty)
        for d in detections {
            XCTAssertEqual(d["file"] as? String, image)
            XCTAssertNotNil(d["class"] as? String)
            XCTAssertNotNil(d["score"] as? Double)
            XCTAssertEqual((d["box"] as? [Double])?.count, 4)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/previews/scene_000001.detections.jpg"))

        let eval = try CLIRunner.run(["eval", "--model", model, "--data", directory + "/data", "--split", "test", "--json"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        XCTAssertNotNil(result["mAP50"])
        XCTAssertNotNil(result["mAP"])
        XCTAssertNotNil(result["ap50PerClass"] as? [String: Any])

        // Resuming a finished run trains nothing more and keeps the curve.
        let again = try CLIRunner.run(["train", "--data", directory + "/data", "--quantizer", "gamma-per-channel", "--epochs", "2",
                                       "--batch", "4", "--width", "4", "--out", directory + "/run"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("epoch 2:"), again.stdout)
    }

    func testBadInputsAreClearErrors() throws {
        let cases: [([String], Int32, String)] = [
            (["train", "--data", directory + "/nowhere"], 1, "not a dataset directory"),
            (["train", "--data", directory + "/data", "--quantizer", "cubic"], 64, "--quantizer: invalid value \"cubic\"; choose one of float, isp, linear"),
            (["train", "--data", directory + "/data", "--bits", "9"], 64, "--bits"),
            (["detect", "--model", directory + "/missing.safetensors", directory + "/data/raw/scene_000001.dng"], 1, "missing.safetensors"),
            (["eval", "--model", directory + "/data/raw/scene_000001.dng", "--data", directory + "/data"], 1, "scene_000001.dng"),
        ]
        for (arguments, status, fragment) in cases {
            let outcome = try CLIRunner.run(arguments)
            XCTAssertEqual(outcome.status, status, "\(arguments): \(outcome.stderr)")
            XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(fragment), "\(arguments): \(outcome.stderr)")
        }
    }
}

/// The bundled models by name.
final class BundledModelNameTests: XCTestCase {
    func testModelsByName() throws {
        let scene = Fixtures.path("scenes/scene_000017.dng")
        let photo = try CLIRunner.run(["detect", "--model", "photo", "--json", "--score-threshold", "0", scene])
        XCTAssertEqual(photo.status, 0, photo.stderr)
        let classes = Set(try XCTUnwrap(JSONSerialization.jsonObject(with: Data(photo.stdout.utf8)) as? [[String: Any]]).compactMap { $0["class"] as? String })
        XCTAssertTrue(classes.isSubset(of: ["person", "car", "bicycle"]), "\(classes)")
        let shapes = try CLIRunner.run(["detect", "--model", "shapes", "--json", scene])
        XCTAssertEqual(shapes.status, 0, shapes.stderr)
        XCTAssertEqual(shapes.stdout, try CLIRunner.run(["detect", "--json", scene]).stdout)
        let missing = try CLIRunner.run(["detect", "--model", "nosuchmodel", scene])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("nosuchmodel"), missing.stderr)
        XCTAssertEqual(BundledModel.named("photo"), .photo)
        XCTAssertNil(BundledModel.named("other"))
    }
}
