import Foundation
import Scenes
import TestSupport
import XCTest

/// Options far outside what a run can do (issue 13): each is a one-line usage error (exit 64) before
/// anything is read, allocated or written — never a trap or an allocation abort.
final class AbsurdOptionTests: XCTestCase {
    func testOutOfRangeOptionsAreUsageErrors() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let huge = String(Int.max), raw = Fixtures.path("generated/synthetic_rggb_12bit.dng"), out = directory + "/out"
        let cases: [([String], String)] = [
            (["simulate", "--preview-size", huge, "--output", out, raw], "--preview-size must be in 1...65536"),
            (["simulate", "--jobs", "0", "--output", out, raw], "--jobs must be in 1...1024"),
            (["features", "synth", "--kind", "friedman1", "--rows", huge, "--out", out + "/t.csv"], "--rows must be in 1...10000000"),
            (["features", "synth", "--kind", "motion", "--rows", "1000000", "--samples", "10000", "--out", out + "/t.csv"], "readings"),
            (["synth", "--count", huge, "--out", out], "--count must be in 1...1000000"),
            (["train", "--data", out, "--epochs", huge, "--batch", "4"], "--epochs must be in 1...100000"),
            (["train", "--data", out, "--width", "100000"], "--width must be in 4...512"),
            (["train", "--data", out, "--crop", "99999x32"], "--crop must be WIDTHxHEIGHT"),
            (["train", "--data", out, "--gamma", "1e20"], "γ needs 1 or 3 positive values"),
            (["train", "--data", out, "--quantizer-lr", "inf"], "--quantizer-lr non-negative, both finite"),
            (["experiment", "--data", out, "--width", "0"], "--width must be in 4...512"),
            (["experiment", "--data", out, "--batch", "0"], "--batch must be in 1...4096"),
            (["experiment", "--data", out, "--epochs", huge], "--epochs must be in 1...100000"),
            (["features", "train", "--data", out, "--target", "y", "--hidden", "1000000000"], "--hidden must be 1...16"),
            (["features", "table", "--data", out, "--target", "y", "--repeats", huge], "--repeats must be in 2...1000"),
            (["bench", "train-step", "--batch", "100000"], "--batch must be in 1...256"),
            (["bench", "train-step", "--threads", "100000"], "--threads must be in 1...256"),
            (["bench", "detect", "--sizes", "100000x100000"], "--sizes must be"),
            (["fit-quantizer", "--steps", huge, raw], "--steps must be in 1...1000000"),
            (["train", "--data", out, "--format", "' is invalid for 'x"], "--format: invalid value"),
            (["train", "--data", out, "--classes", "car,car"], "--classes must be 1...1000 distinct"),
        ]
        for (arguments, fragment) in cases {
            let outcome = try CLIRunner.run(arguments)
            XCTAssertEqual(outcome.status, 64, "\(arguments): \(outcome.stderr)")
            XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.hasPrefix("rawquant: error: ") && outcome.stderr.contains(fragment), "\(arguments): \(outcome.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(arguments) wrote output")
        }
    }

    /// Runs whose estimated memory exceeds the limit are refused before anything is written (exit 1).
    func testRunsBeyondTheMemoryLimitAreRefused() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try SyntheticDataset.write(count: 4, seed: 1, configuration: .small(), to: directory + "/data")
        let train = try CLIRunner.run(["train", "--data", directory + "/data", "--val-split", "none", "--batch", "4096", "--width", "512",
                                       "--max-memory", "1", "--out", directory + "/run"])
        XCTAssertEqual(train.status, 1)
        XCTAssertTrue(train.stderr.contains("needs about") && train.stderr.contains("more than the limit of 1.0 GiB"), train.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/run"))
        XCTAssertEqual(try CLIRunner.run(["features", "synth", "--kind", "friedman1", "--rows", "30", "--out", directory + "/t.csv"]).status, 0)
        let features = try CLIRunner.run(["features", "train", "--data", directory + "/t.csv", "--target", "y", "--hidden", "65536,65536,65536",
                                          "--out", directory + "/m.safetensors"])
        XCTAssertEqual(features.status, 1)
        XCTAssertTrue(features.stderr.contains("training an MLP of widths [65536, 65536, 65536]"), features.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/m.safetensors"))
        // A NUL byte inside a number is not silently cut off.
        try Data("a,y\n1\u{0}5,2\n3,4\n".utf8).write(to: URL(fileURLWithPath: directory + "/nul.csv"))
        let nul = try CLIRunner.run(["features", "train", "--data", directory + "/nul.csv", "--target", "y"])
        XCTAssertEqual(nul.status, 1)
        XCTAssertTrue(nul.stderr.contains("NUL byte at offset 5"), nul.stderr)
    }

    /// Image sizes the network cannot take are an error before training, not a trap inside it.
    func testTrainingOnSizesTheNetworkCannotTakeIsRefused() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = SceneConfiguration.small()
        configuration.width = 100
        configuration.height = 100
        try SyntheticDataset.write(count: 4, seed: 2, configuration: configuration, to: directory + "/data")
        let outcome = try CLIRunner.run(["train", "--data", directory + "/data", "--val-split", "none", "--epochs", "1", "--out", directory + "/run"])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertTrue(outcome.stderr.contains("needs sides that are multiples of 16"), outcome.stderr)
        // A crop larger than the images pads them with black to the crop's size, which the network takes.
        let padded = try CLIRunner.run(["train", "--data", directory + "/data", "--val-split", "none", "--epochs", "1", "--batch", "2",
                                        "--width", "4", "--crop", "128x128", "--out", directory + "/run2"])
        XCTAssertEqual(padded.status, 0, padded.stderr)
    }
}
