import DetectionData
import Detection
import Foundation
import Scenes
import TestSupport
import XCTest

/// The bundled detector (`detect`, `eval` and `example-detect` use it by default) loads and reproduces the
/// held-out figure committed beside it, on the same 600 test scenes remade from their seed.
final class BundledModelTests: XCTestCase {
    func testBundledDetectorReproducesItsCommittedTestFigure() throws {
        let path = try BundledModel.path()
        let loaded = try RawDetector.load(from: path).detector
        XCTAssertEqual(loaded.classes, ["disk", "square", "triangle"])
        XCTAssertEqual(try loaded.quantizer.deploySpec().bits, 4)

        struct Figure: Decodable { var mAP50: Double; var mAP: Double; var ap50PerClass: [String: Double?] }
        let figurePath = path.replacingOccurrences(of: ".safetensors", with: ".test.json")
        let committed = try JSONDecoder().decode(Figure.self, from: Data(contentsOf: URL(fileURLWithPath: figurePath)))

        // Fixtures/models/PROVENANCE.md: synth --count 3000 --seed 2026 --size 256x256, test split (600 images).
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = SceneConfiguration()
        configuration.width = 256
        configuration.height = 256
        let manifest = try SyntheticDataset.write(count: 3000, seed: 2026, configuration: configuration, to: directory, splits: ["test"])
        XCTAssertEqual(manifest.images.count, 600)
        let test = try DatasetLoader.load(directory: directory, split: "test", options: DatasetLoadOptions(classes: loaded.classes))
        let (result, _) = try DetectorEvaluation.run(loaded, on: test)
        XCTAssertEqual(try XCTUnwrap(result.mAP50), committed.mAP50, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(result.mAP), committed.mAP, accuracy: 1e-9)
        for (name, ap) in committed.ap50PerClass {
            XCTAssertEqual(try XCTUnwrap(result.ap50PerClass[name] ?? nil), try XCTUnwrap(ap), accuracy: 1e-9, name)
        }
    }
}
