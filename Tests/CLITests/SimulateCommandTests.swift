import Foundation
import Quantization
import TestSupport
import XCTest

final class SimulateCommandTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: directory).sorted() }

    func testWritesThreeFilesAndAJSONReport() throws {
        let input = Fixtures.path("generated/synthetic_grbg_14bit.dng")
        let outcome = try CLIRunner.run(["simulate", "--bits", "3", "--quantizer", "gamma", "--gamma", "0.3,0.4,0.5",
                                         "--output", directory, "--json", input])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertEqual(try contents(), ["synthetic_grbg_14bit.q3.dng", "synthetic_grbg_14bit.q3.jpg", "synthetic_grbg_14bit.q3.manifest.json",
                                        "synthetic_grbg_14bit.q3.rqm"])
        // The manifest, written last, lists each output with its size.
        struct Manifest: Decodable { struct File: Decodable { var name: String; var bytes: Int }; var files: [File] }
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/synthetic_grbg_14bit.q3.manifest.json")))
        XCTAssertEqual(manifest.files.map(\.name), ["synthetic_grbg_14bit.q3.rqm", "synthetic_grbg_14bit.q3.dng", "synthetic_grbg_14bit.q3.jpg"])
        for file in manifest.files {
            let size = try FileManager.default.attributesOfItem(atPath: directory + "/" + file.name)[.size] as? Int
            XCTAssertEqual(size, file.bytes, file.name)
        }
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["bits"] as? Int, 3)
        XCTAssertEqual(report["pixels"] as? Int, 48 * 32)
        XCTAssertEqual(report["payloadBytes"] as? Int, 48 * 32 * 3 / 8)
        XCTAssertEqual(report["bitsPerPixel"] as? Double, 3)
        XCTAssertEqual(try XCTUnwrap(report["compressionVsSource"] as? Double), 14.0 / 3, accuracy: 1e-12)
        XCTAssertNotNil(report["psnrLinear"] as? Double)
        XCTAssertNotNil(report["entropyBitsPerPixel"] as? Double)
        let histograms = try XCTUnwrap(report["histograms"] as? [String: [Int]])
        XCTAssertEqual(Set(histograms.keys), ["R", "G1", "G2", "B"])
        XCTAssertTrue(histograms.values.allSatisfy { $0.count == 8 })
        let rqm = try PackedMosaicFile.read(path: directory + "/synthetic_grbg_14bit.q3.rqm")
        XCTAssertEqual(rqm.quantizer, try QuantizerSpec.gamma([0.3, 0.4, 0.5], bits: 3))
        XCTAssertEqual(outcome.stderr, "")
    }

    func testDefaultIsFourBitGammaBesideTheInput() throws {
        let input = directory + "/in.dng"
        try FileManager.default.copyItem(atPath: Fixtures.path("generated/synthetic_rggb_12bit.dng"), toPath: input)
        let outcome = try CLIRunner.run(["simulate", input])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertEqual(try contents(), ["in.dng", "in.q4.dng", "in.q4.jpg", "in.q4.manifest.json", "in.q4.rqm"])
        XCTAssertTrue(outcome.stdout.contains(try QuantizerSpec.defaultQuantizer(bits: 4).summary), outcome.stdout)
    }

    func testSeveralFilesInParallelAndPartialFailure() throws {
        let inputs = ["synthetic_rggb_12bit.dng", "synthetic_bggr_14bit.dng", "synthetic_gbrg_12bit.dng"].map { Fixtures.path("generated/\($0)") }
        let outcome = try CLIRunner.run(["simulate", "--quantizer", "linear", "--bits", "2", "--output", directory, "--json"]
                                        + inputs + ["/no/such.cr2"])
        XCTAssertEqual(outcome.status, 1)
        let reports = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(reports.count, 3)
        XCTAssertEqual(try contents().count, 12, "three outputs and a manifest per input")
        XCTAssertEqual(outcome.stderr, "rawquant: error: /no/such.cr2: no such file\n")
    }

    /// Each bad input: one line on stderr naming the file, a non-zero exit, and no output at all.
    func testBadInputsFailCleanlyWithNoOutput() throws {
        let inputs = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: inputs) }
        var cases = try BadInputs.write(into: inputs)
        cases["missing.dng"] = inputs + "/missing.dng"
        cases["directory"] = inputs
        cases["non-bayer.raw"] = Fixtures.path("RAW_KODAK_C330_FORMAT_NONE_YRGB.raw")
        cases["stub.crw"] = Fixtures.path("exiftool-stub-CanonRaw.crw")
        for (name, path) in cases.sorted(by: { $0.key < $1.key }) {
            let outcome = try CLIRunner.run(["simulate", "--output", directory, path])
            XCTAssertEqual(outcome.status, 1, name)
            let lines = outcome.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "\(name): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.hasPrefix("rawquant: error: \(path): "), "\(name): \(outcome.stderr)")
            XCTAssertEqual(outcome.stdout, "", name)
            XCTAssertEqual(try contents(), [], "\(name) left output behind")
        }
    }

    func testInvalidOptionsAreUsageErrors() throws {
        let input = Fixtures.path("generated/synthetic_rggb_12bit.dng")
        let bad: [[String]] = [["--bits", "0"], ["--bits", "9"], ["--gamma", "abc"], ["--gamma", "0.3,0.4"], ["--gamma", "-1"],
                               ["--gamma", "0.3,,0.4"], ["--quantizer", "cubic"], ["--quantizer", "linear", "--gamma", "0.5"]]
        for arguments in bad {
            let outcome = try CLIRunner.run(["simulate", "--output", directory] + arguments + [input])
            XCTAssertEqual(outcome.status, 64, "\(arguments)")
            XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.hasPrefix("rawquant: error: --"), "\(arguments): \(outcome.stderr)")
            XCTAssertEqual(try contents(), [], "\(arguments)")
        }
    }

    func testUnwritableOutputDirectories() throws {
        let input = Fixtures.path("generated/synthetic_rggb_12bit.dng")
        let file = directory + "/a-file"
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        for output in [file, file + "/below-a-file", "/proc/rawquant-test"] {
            let outcome = try CLIRunner.run(["simulate", "--output", output, input])
            XCTAssertEqual(outcome.status, 1, output)
            XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, "\(output): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(output), "\(output): \(outcome.stderr)")
        }
        XCTAssertEqual(try contents(), ["a-file"])
    }
}
