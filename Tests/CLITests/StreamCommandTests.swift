import Foundation
import TestSupport
import XCTest

/// `rawquant features stream-train / stream-table` on `.ts` windows, and `encode`, `decode`, `predict` with a stream
/// model: the codes' size, predictions from codes equal to those from the windows, and errors with no output file.
final class StreamCommandTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    /// `count` windows of 2 channels × 16 steps: "still" (a slow drift) and "shake" (a sine of amplitude 1).
    private func writeStream(_ name: String, count: Int, offset: Int) throws -> String {
        var lines = ["@problemName Toy", "@dimensions 2", "@equalLength true", "@seriesLength 16", "@classLabel true still shake", "@data"]
        for i in 0..<count {
            let shake = i % 2 == 1, phase = Double(i + offset) * 0.7
            let channels = (0..<2).map { c in
                (0..<16).map { t in
                    String(format: "%.4f", shake ? sin(Double(t) * 0.8 + phase + Double(c)) : 0.05 * Double((t + i + c) % 5) + Double(c))
                }.joined(separator: ",")
            }
            lines.append(channels.joined(separator: ":") + ":" + (shake ? "shake" : "still"))
        }
        let path = directory + "/" + name
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testStreamTrainEncodeDecodePredict() throws {
        let train = try writeStream("t_TRAIN.ts", count: 16, offset: 0), test = try writeStream("t_TEST.ts", count: 10, offset: 100)
        let model = directory + "/m.safetensors", codes = directory + "/t.rqf"
        let run = try CLIRunner.run(["features", "stream-train", "--train", train, "--test", test, "--method", "bwsq", "--bits", "3",
                                     "--epochs", "20", "--widths", "8,8", "--sample-rate", "50", "--out", model, "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["bitsPerSample"] as? Int, 6)
        XCTAssertEqual(report["bytesPerSecond"] as? Double, 6.0 * 50 / 8)
        XCTAssertNotNil(report["testMacroF1"] as? Double)

        let encode = try CLIRunner.run(["features", "encode", "--model", model, test, codes, "--json"])
        XCTAssertEqual(encode.status, 0, encode.stderr)
        let encoded = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(encode.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(encoded["rows"] as? Int, 10 * 16, "one row per time step")
        XCTAssertEqual(encoded["payloadBytes"] as? Int, (10 * 16 * 2 * 3 + 7) / 8)

        let fromCodes = try CLIRunner.run(["features", "predict", "--model", model, codes])
        let fromWindows = try CLIRunner.run(["features", "predict", "--model", model, test])
        XCTAssertEqual(fromCodes.status, 0, fromCodes.stderr)
        XCTAssertEqual(fromCodes.stdout, fromWindows.stdout, "the server's predictions from codes equal device+server from the windows")
        XCTAssertEqual(fromCodes.stdout.split(separator: "\n").count, 10)
        XCTAssertTrue(fromWindows.stderr.contains("accuracy"), fromWindows.stderr)

        let decoded = directory + "/d.csv"
        XCTAssertEqual(try CLIRunner.run(["features", "decode", "--model", model, codes, decoded]).status, 0)
        let header = try String(contentsOfFile: decoded, encoding: .utf8).split(separator: "\n").first
        XCTAssertEqual(header, "window,step,dimension 1,dimension 2")
    }

    func testStreamTableWritesMarkdownAndJSON() throws {
        let train = try writeStream("t_TRAIN.ts", count: 12, offset: 0), test = try writeStream("t_TEST.ts", count: 8, offset: 50)
        let out = directory + "/toy.md"
        let run = try CLIRunner.run(["features", "stream-table", "--train", train, "--test", test, "--methods", "fp,gamma-global,bwsq",
                                     "--bits", "2,4", "--repeats", "2", "--epochs", "3", "--widths", "4", "--sample-rate", "10", "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        let markdown = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertEqual(markdown.split(separator: "\n").filter { $0.hasPrefix("| gamma-global") || $0.hasPrefix("| bwsq") || $0.hasPrefix("| full") }.count, 5)
        XCTAssertTrue(markdown.contains("| bwsq | 2 |") && markdown.contains("| 4 | 5.0 |"), markdown)
        let cells = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/toy.json"))) as? [[String: Any]])
        XCTAssertEqual(cells.count, 5)
    }

    func testBadStreamInputsGiveOneLineErrorsAndNoOutput() throws {
        let train = try writeStream("t_TRAIN.ts", count: 8, offset: 0)
        let bad = directory + "/bad.ts"
        try "@dimensions 2\n@classLabel true still shake\n@data\n1,2:3,x:still\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let run = try CLIRunner.run(["features", "stream-train", "--train", train, "--test", bad, "--out", directory + "/m.safetensors"])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stderr, "rawquant: error: \(bad):4 column \"dimension 2\": value 2, \"x\", is not a finite number\n")
        let model = directory + "/m2.safetensors"
        let absent = try CLIRunner.run(["features", "stream-train", "--train", train, "--test", directory + "/absent.ts", "--epochs", "1"])
        XCTAssertEqual(absent.status, 1)
        XCTAssertTrue(absent.stderr.hasPrefix("rawquant: error: \(directory)/absent.ts: "), absent.stderr)
        let other = directory + "/three.ts"
        try "@dimensions 3\n@classLabel true still shake\n@data\n1:2:3:still\n".write(toFile: other, atomically: true, encoding: .utf8)
        let same = try CLIRunner.run(["features", "stream-train", "--train", train, "--test", train, "--epochs", "1", "--widths", "4", "--out", model])
        XCTAssertEqual(same.status, 64, "the same file as --train and --test is refused")
        _ = try CLIRunner.run(["features", "stream-train", "--train", train, "--test", try writeStream("u_TEST.ts", count: 4, offset: 9),
                               "--epochs", "1", "--widths", "4", "--out", model])
        let encode = try CLIRunner.run(["features", "encode", "--model", model, other, directory + "/o.rqf"])
        XCTAssertEqual(encode.status, 1)
        XCTAssertEqual(encode.stderr, "rawquant: error: \(other): has 3 dimensions, the model 2\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/o.rqf"), "no partial output")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/m.safetensors"))
    }
}
