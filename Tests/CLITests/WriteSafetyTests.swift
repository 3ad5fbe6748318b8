import Foundation
import TestSupport
import XCTest

/// How outputs are written (issue 13): stale staged files of killed runs go away, outputs that are inputs
/// or not regular files are refused, `-` streams.
final class WriteSafetyTests: XCTestCase {
    private var directory = ""
    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: directory).sorted() }

    func testStaleStagedFilesOfAKilledRunAreRemovedAndOthersKept() throws {
        let stale = directory + "/.IMG.q4.rqm.0A1B2C3D.staged", foreign = directory + "/.notes.staged", mine = directory + "/keep.txt"
        for path in [stale, foreign, mine] { try Data("x".utf8).write(to: URL(fileURLWithPath: path)) }
        let outcome = try CLIRunner.run(["simulate", "--output", directory, Fixtures.path("generated/synthetic_rggb_12bit.dng")])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertEqual(try files(), [".notes.staged", "keep.txt", "synthetic_rggb_12bit.q4.dng", "synthetic_rggb_12bit.q4.jpg",
                                     "synthetic_rggb_12bit.q4.manifest.json", "synthetic_rggb_12bit.q4.rqm"],
                       "only the tool's own unlocked staged file is removed")
    }

    func testOutputsThatAreNotRegularFilesAreRefused() throws {
        let input = Fixtures.path("generated/synthetic_rggb_12bit.dng")
        let target = directory + "/elsewhere.rqm"
        try Data("precious".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: directory + "/synthetic_rggb_12bit.q4.rqm", withDestinationPath: target)
        let outcome = try CLIRunner.run(["simulate", "--output", directory, input])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertTrue(outcome.stderr.contains("is not a regular file"), outcome.stderr)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "precious")
        XCTAssertEqual(try files(), ["elsewhere.rqm", "synthetic_rggb_12bit.q4.rqm"], "nothing else written")
        let device = try CLIRunner.run(["features", "synth", "--kind", "friedman1", "--rows", "10", "--out", "/dev/null"])
        XCTAssertEqual(device.status, 1)
        XCTAssertTrue(device.stderr.contains("/dev/null: exists and is not a regular file"), device.stderr)
    }

    func testInputsAreNeverOverwrittenAndDashStreams() throws {
        let csv = directory + "/d.csv", model = directory + "/m.safetensors"
        XCTAssertEqual(try CLIRunner.run(["features", "synth", "--kind", "friedman1", "--rows", "60", "--seed", "2", "--out", csv]).status, 0)
        let original = try Data(contentsOf: URL(fileURLWithPath: csv))
        let train = try CLIRunner.run(["features", "train", "--data", csv, "--target", "y", "--epochs", "1", "--out", directory + "/./d.csv"])
        XCTAssertEqual(train.status, 64)
        XCTAssertTrue(train.stderr.contains("is also an input"), train.stderr)
        XCTAssertEqual(try CLIRunner.run(["features", "train", "--data", csv, "--target", "y", "--epochs", "1", "--bits", "3", "--out", model]).status, 0)
        let encode = try CLIRunner.run(["features", "encode", "--model", model, csv, csv])
        XCTAssertEqual(encode.status, 1)
        XCTAssertTrue(encode.stderr.contains("is also an input; refusing to overwrite it"), encode.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: csv)), original, "the data survives")

        let streamed = try CLIRunner.run(["features", "encode", "--model", model, csv, "-"])
        XCTAssertEqual(streamed.status, 0, streamed.stderr)
        XCTAssertTrue(streamed.stdout.hasPrefix("RQF1"), "the .rqf bytes on stdout")
        XCTAssertTrue(streamed.stderr.contains("-: 60 rows"), streamed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/-"))
        let rqf = directory + "/d.rqf"
        XCTAssertEqual(try CLIRunner.run(["features", "encode", "--model", model, csv, rqf]).status, 0)
        let decoded = try CLIRunner.run(["features", "decode", "--model", model, rqf, "-"])
        XCTAssertEqual(decoded.status, 0, decoded.stderr)
        XCTAssertEqual(decoded.stdout.split(separator: "\n").count, 61, "header and 60 rows on stdout")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/-"))
    }

    func testFileNamesCannotForgeErrorLines() throws {
        let name = directory + "/a\nrawquant: error: forged.dng"
        try Data("not a raw".utf8).write(to: URL(fileURLWithPath: name))
        let outcome = try CLIRunner.run(["inspect", name])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("a\\u{a}rawquant: error: forged.dng"), outcome.stderr)
    }
}
