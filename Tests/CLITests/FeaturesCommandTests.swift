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
}
