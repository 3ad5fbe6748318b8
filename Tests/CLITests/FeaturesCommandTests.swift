import Foundation
import TestSupport
import XCTest

/// `rawquant features …` end to end: train, encode (the size the report says), predict from codes = from CSV,
/// and clear errors with no output file.
final class FeaturesCommandTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    func testTrainEncodePredictRoundTrip() throws {
        let csv = directory + "/f.csv", model = directory + "/m.safetensors", codes = directory + "/f.rqf"
        XCTAssertEqual(try CLIRunner.run(["features", "synth", "--kind", "friedman1", "--rows", "400", "--seed", "3", "--out", csv]).status, 0)
        let train = try CLIRunner.run(["features", "train", "--data", csv, "--target", "y", "--bits", "3", "--method", "bwsq",
                                       "--epochs", "3", "--hidden", "16", "--out", model, "--json"])
        XCTAssertEqual(train.status, 0, train.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(train.stdout.utf8)) as? [String: Any])
        XCTAssertNotNil(report["testMSE"] as? Double)
        XCTAssertEqual(report["compressionFactor"] as? Double, 32.0 / 3)

        let encode = try CLIRunner.run(["features", "encode", "--model", model, csv, codes, "--json"])
        XCTAssertEqual(encode.status, 0, encode.stderr)
        let encoded = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(encode.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(encoded["payloadBytes"] as? Int, (400 * 10 * 3 + 7) / 8)
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: codes)[.size] as? Int)
        XCTAssertEqual(encoded["fileBytes"] as? Int, size)

        let fromCodes = try CLIRunner.run(["features", "predict", "--model", model, codes])
        let fromCSV = try CLIRunner.run(["features", "predict", "--model", model, csv])
        XCTAssertEqual(fromCodes.status, 0, fromCodes.stderr)
        XCTAssertEqual(fromCodes.stdout, fromCSV.stdout, "the server's predictions from codes equal device+server from the CSV")
        XCTAssertEqual(fromCodes.stdout.split(separator: "\n").count, 400)
        XCTAssertTrue(fromCSV.stderr.contains("MSE"), "the CSV has the target: scores are reported")
        XCTAssertEqual(try CLIRunner.run(["features", "decode", "--model", model, codes, directory + "/d.csv"]).status, 0)
    }

    func testBadInputsGiveOneLineErrorsAndNoOutput() throws {
        let csv = directory + "/bad.csv", model = directory + "/m.safetensors"
        try "a,b,y\n1,2,3\n4,,6\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let missing = try CLIRunner.run(["features", "train", "--data", csv, "--target", "y", "--out", model])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "rawquant: error: \(csv):3 column \"b\": missing value\n")
        try "a,b,y\n1,2,3\n4,x,6\n".write(toFile: csv, atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLIRunner.run(["features", "train", "--data", csv, "--target", "y"]).stderr,
                       "rawquant: error: \(csv):3 column \"b\": \"x\" is not a number\n")
        let method = try CLIRunner.run(["features", "train", "--data", csv, "--target", "y", "--method", "nope"])
        XCTAssertEqual(method.status, 64)
        XCTAssertEqual(method.stderr, "rawquant: error: --method: invalid value \"nope\"; choose one of fp, minmax, quantile, sq, bwsq, lsq, gamma, gamma-global\n")
        let noModel = try CLIRunner.run(["features", "encode", "--model", directory + "/none.safetensors", csv, directory + "/o.rqf"])
        XCTAssertEqual(noModel.status, 1)
        XCTAssertTrue(noModel.stderr.hasPrefix("rawquant: error: \(directory)/none.safetensors: "), noModel.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["bad.csv"], "no output files")
    }

    /// `--protocol paper` writes the table after every cell and resumes from its JSON; `--drop` leaves out columns;
    /// a classification table reports macro-F1 and, with `--rows-per-second`, the bytes per second.
    func testPaperProtocolResumesAndClassificationTablesReportMacroF1() throws {
        let csv = directory + "/f.csv", out = directory + "/t.md"
        XCTAssertEqual(try CLIRunner.run(["features", "synth", "--kind", "friedman1", "--rows", "200", "--seed", "3", "--out", csv]).status, 0)
        let common = ["features", "table", "--data", csv, "--target", "y", "--protocol", "paper", "--bits", "2", "--repeats", "2",
                      "--search-settings", "2", "--epochs", "2", "--hidden", "8", "--out", out]
        let first = try CLIRunner.run(common + ["--methods", "fp"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let second = try CLIRunner.run(common + ["--methods", "fp,bwsq", "--resume"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertFalse(second.stdout.split(separator: "\n").contains { $0.hasPrefix("fp 32-bit:") }, "the done cell is not rerun: \(second.stdout)")
        XCTAssertTrue(second.stdout.split(separator: "\n").contains { $0.hasPrefix("bwsq 2-bit:") }, second.stdout)
        let markdown = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(markdown.contains("| bwsq |") && markdown.contains("| full precision (32 bits) |") && markdown.contains("Chosen settings"), markdown)
        XCTAssertEqual(try CLIRunner.run(["features", "table", "--data", csv, "--target", "y", "--resume"]).status, 64)

        let hastie = directory + "/h.csv", table = directory + "/h.md"
        XCTAssertEqual(try CLIRunner.run(["features", "synth", "--kind", "hastie", "--rows", "200", "--seed", "3", "--out", hastie]).status, 0)
        let run = try CLIRunner.run(["features", "table", "--data", hastie, "--target", "y", "--task", "classification", "--drop", "x1",
                                     "--methods", "fp,bwsq", "--bits", "2", "--repeats", "2", "--epochs", "2", "--hidden", "8",
                                     "--rows-per-second", "1", "--out", table])
        XCTAssertEqual(run.status, 0, run.stderr)
        let text = try String(contentsOfFile: table, encoding: .utf8)
        XCTAssertTrue(text.contains("9 features") && text.contains("Macro-F1") && text.contains("2 bits 2.25"), text)
        let badDrop = try CLIRunner.run(["features", "train", "--data", hastie, "--target", "y", "--drop", "nope"])
        XCTAssertEqual(badDrop.status, 1)
        XCTAssertTrue(badDrop.stderr.contains("nope"), badDrop.stderr)
    }

    /// A model trained on a CSV without a header encodes and predicts header-less CSVs (`--no-header` everywhere).
    func testHeaderlessTablesTrainEncodeAndPredict() throws {
        let csv = directory + "/f.csv", bare = directory + "/bare.csv", model = directory + "/m.safetensors", codes = directory + "/f.rqf"
        XCTAssertEqual(try CLIRunner.run(["features", "synth", "--kind", "friedman1", "--rows", "200", "--seed", "3", "--out", csv]).status, 0)
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        try (lines.dropFirst().joined(separator: "\n") + "\n").write(toFile: bare, atomically: true, encoding: .utf8)
        let train = try CLIRunner.run(["features", "train", "--data", bare, "--no-header", "--target", "11", "--epochs", "2", "--hidden", "8", "--out", model])
        XCTAssertEqual(train.status, 0, train.stderr)
        let encode = try CLIRunner.run(["features", "encode", "--model", model, "--no-header", bare, codes])
        XCTAssertEqual(encode.status, 0, encode.stderr)
        let fromCodes = try CLIRunner.run(["features", "predict", "--model", model, codes])
        let fromCSV = try CLIRunner.run(["features", "predict", "--model", model, "--no-header", bare])
        XCTAssertEqual(fromCSV.status, 0, fromCSV.stderr)
        XCTAssertEqual(fromCodes.stdout, fromCSV.stdout)
        XCTAssertTrue(fromCSV.stderr.contains("MSE"), "column 11 is the target: scored")
        let withHeader = try CLIRunner.run(["features", "encode", "--model", model, bare, directory + "/o.rqf"])
        XCTAssertEqual(withHeader.status, 1, "without --no-header the first row is taken for names")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/o.rqf"))
    }
}
