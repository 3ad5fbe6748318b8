import Foundation
import TestSupport
import XCTest

final class InspectCommandTests: XCTestCase {
    func testJSONHasTheDocumentedKeys() throws {
        let outcome = try CLIRunner.run(["inspect", "--json", Fixtures.path("IMG_5952.CR2")])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["make"] as? String, "Canon")
        XCTAssertEqual(object["model"] as? String, "EOS 30D")
        XCTAssertEqual(object["width"] as? Int, 3522)
        XCTAssertEqual(object["height"] as? Int, 2348)
        XCTAssertEqual(object["cfa"] as? String, "RGGB")
        XCTAssertEqual(object["blackLevels"] as? [Int], [128, 128, 127, 128])
        XCTAssertEqual(object["whiteLevel"] as? Int, 4095)
        XCTAssertEqual(object["file"] as? String, Fixtures.path("IMG_5952.CR2"))
        XCTAssertEqual(outcome.stderr, "")
    }

    func testSeveralFilesGiveAnArray() throws {
        let files = ["synthetic_bggr_12bit.dng", "synthetic_gbrg_14bit.dng"].map { Fixtures.path("generated/\($0)") }
        let outcome = try CLIRunner.run(["inspect", "--json"] + files)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let array = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(array.map { $0["cfa"] as? String }, ["BGGR", "GBRG"])
        XCTAssertEqual(array.map { $0["whiteLevel"] as? Int }, [4095, 16383])
    }

    func testTextOutputAndErrors() throws {
        let outcome = try CLIRunner.run(["inspect", Fixtures.path("generated/synthetic_rggb_12bit.dng"), "/no/such.dng"])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertTrue(outcome.stdout.contains("CFA:          RGGB"), outcome.stdout)
        XCTAssertEqual(outcome.stderr, "rawquant: error: /no/such.dng: no such file\n")
    }
}
