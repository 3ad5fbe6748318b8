import Foundation
import TestSupport
import XCTest

final class SynthCommandTests: XCTestCase {
    func testWritesTheDatasetAndRefusesBadOptions() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try CLIRunner.run(["synth", "--count", "3", "--seed", "4", "--size", "64x48", "--adc-bits", "14",
                                         "--cfa", "GBRG", "--exposure-range", "0.01,0.5", "--out", directory + "/data"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/data/dataset.json"))) as? [String: Any])
        XCTAssertEqual(manifest["count"] as? Int, 3)
        let images = try XCTUnwrap(manifest["images"] as? [[String: Any]])
        XCTAssertEqual(images.map { $0["cfa"] as? String }, ["GBRG", "GBRG", "GBRG"])
        XCTAssertTrue(images.allSatisfy { (0.01...0.5).contains($0["exposure"] as! Double) })
        let inspect = try CLIRunner.run(["inspect", "--json", directory + "/data/raw/scene_000002.dng"])
        let info = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(info["whiteLevel"] as? Int, 16383)
        XCTAssertEqual(info["width"] as? Int, 64)

        for bad in [["--size", "63x48"], ["--size", "big"], ["--adc-bits", "10"], ["--cfa", "RGBG"],
                    ["--exposure-range", "0.5,0.1"], ["--count", "0"]] {
            let failed = try CLIRunner.run(["synth", "--count", "2", "--out", directory + "/bad"] + bad)
            XCTAssertEqual(failed.status, 64, "\(bad)")
            XCTAssertEqual(failed.stderr.split(separator: "\n").count, 1, "\(bad): \(failed.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/bad"), "\(bad)")
        }
    }
}
