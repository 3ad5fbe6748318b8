import Bayer
import DetectionData
import Experiments
import Foundation
import RawIO
import Support
import TestSupport
import Unprocessing
import XCTest

/// The experiment on unprocessed photos: clean training data, noisy validation and test, the low-light column.
final class RealContentExperimentTests: XCTestCase {
    func testTrainsOnCleanDataAndReportsPerClassAndLowLight() throws {
        let root = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // 12 generated photos (64×64) with a bright "person" block, COCO JSON, no source splits (seeded 70/10/20).
        try FileManager.default.createDirectory(atPath: root + "/photos", withIntermediateDirectories: true)
        var images: [String] = [], annotations: [String] = []
        for k in 0..<12 {
            try JPEGFile.write(to: "\(root)/photos/p\(k).jpg", width: 64, height: 64) { row, out in
                for c in 0..<64 {
                    let inside = (8 + k..<40 + k).contains(c) && (10..<50).contains(row)
                    out[3 * c] = inside ? 230 : 60; out[3 * c + 1] = inside ? 200 : 70; out[3 * c + 2] = inside ? 40 : 90
                }
            }
            images.append(#"{"id": \#(k + 1), "file_name": "p\#(k).jpg"}"#)
            annotations.append(#"{"id": \#(k + 1), "image_id": \#(k + 1), "category_id": 1, "bbox": [\#(8 + k), 10, 32, 40]}"#)
        }
        try (#"{"images": [\#(images.joined(separator: ","))], "annotations": [\#(annotations.joined(separator: ","))], "categories": [{"id": 1, "name": "person"}]}"#)
            .write(toFile: root + "/coco.json", atomically: true, encoding: .utf8)
        let source = try PhotoSource.load(images: root + "/photos", annotations: root + "/coco.json", format: .coco)
        var options = UnprocessOptions(cameras: [.canonEOS30D])
        try UnprocessedDataset.write(source: source, described: [], options: options, to: root + "/noisy")
        options.noise = false
        options.exposureRange = 1...1
        try UnprocessedDataset.write(source: source, described: [], options: options, to: root + "/clean")

        var plan = ExperimentPlan.standard(dataset: root + "/noisy", bits: [4], seeds: [1], epochs: 1, batchSize: 2, width: 4)
        plan.rows = plan.rows.filter { $0.id == "gamma-per-channel-4" }
        plan.trainingDataset = root + "/clean"
        plan.reexpose = [0.1, 1]
        plan.scaleRange = [0.8, 1.2]
        plan.crop = 64
        plan.deepStages = 1
        plan.lowLightExposure = [1.0 / 64, 1.0 / 16]
        plan.noise = CameraProfile.canonEOS30D.noise
        let results = try ExperimentRunner.run(plan, outputDirectory: root + "/out")
        XCTAssertEqual(results.count, 1)
        let lowLight = try XCTUnwrap(results[0].lowLightMAP50)
        XCTAssertTrue((0...1).contains(lowLight))
        XCTAssertEqual(results[0].ap50PerClass.map { Array($0.keys) }, ["person"])
        let table = ExperimentReport.markdown(plan, results: results, command: "test", machine: "test")
        XCTAssertTrue(table.contains("| input | bits | AP@0.5 person | AP@0.5 person (large) | low-light mAP@0.5 |"), table)
        XCTAssertTrue(table.contains("2^-6.0…2^-4.0"), table)
        // The darkest third comes from the unprocessed manifest's draws.
        let test = try DatasetLoader.load(directory: root + "/noisy", split: "test")
        XCTAssertFalse(test.images.isEmpty)
    }
}
