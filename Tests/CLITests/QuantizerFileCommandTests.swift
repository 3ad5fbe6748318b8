import Foundation
import Quantization
import TestSupport
import XCTest

final class QuantizerFileCommandTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    func testSimulateWithAQuantizerFileRecordsItInTheRQM() throws {
        let spec = try QuantizerSpec(kind: .bwsq, bits: 3, thresholds: [[0.01, 0.03, 0.06, 0.1, 0.2, 0.4, 0.7]])
        try QuantizerFile.write(spec, to: directory + "/q.safetensors", sortedThresholds: true)
        let outcome = try CLIRunner.run(["simulate", "--quantizer-file", directory + "/q.safetensors", "--output", directory + "/out",
                                         Fixtures.path("generated/synthetic_gbrg_12bit.dng")])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let rqm = try PackedMosaicFile.read(path: directory + "/out/synthetic_gbrg_12bit.q3.rqm")
        XCTAssertEqual(rqm.quantizer.kind, .bwsq)
        XCTAssertEqual(rqm.quantizer.thresholds!, spec.thresholds!.map { $0.map { Double(Float($0)) } })

        let inspect = try CLIRunner.run(["inspect-quantizer", "--json", directory + "/q.safetensors"])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        let table = try JSONDecoder().decode(QuantizerTable.self, from: Data(inspect.stdout.utf8))
        XCTAssertEqual(table.channels.count, 3)
        XCTAssertEqual(table.channels[0].adcThresholds.count, 7)
        XCTAssertEqual(table.channels[0].networkDecoder[3], [1, 1, 1, 0, 0, 0, 0])
        let text = try CLIRunner.run(["inspect-quantizer", "--adc-bits", "14", directory + "/q.safetensors"])
        XCTAssertTrue(text.stdout.contains("sensor: 14-bit ADC, black 1024, white 16383"), text.stdout)
    }

    func testBadQuantizerFilesAndConflictsFailWithNoOutput() throws {
        let input = Fixtures.path("generated/synthetic_rggb_12bit.dng")
        try QuantizerFile.write(try .gamma([0.3], bits: 4), to: directory + "/good.safetensors")
        let good = try Data(contentsOf: URL(fileURLWithPath: directory + "/good.safetensors"))
        try good.prefix(good.count - 2).write(to: URL(fileURLWithPath: directory + "/truncated.safetensors"))
        try Data("hello".utf8).write(to: URL(fileURLWithPath: directory + "/text.safetensors"))
        let cases: [([String], Int32)] = [
            (["--quantizer-file", directory + "/truncated.safetensors"], 1),
            (["--quantizer-file", directory + "/text.safetensors"], 1),
            (["--quantizer-file", directory + "/missing.safetensors"], 1),
            (["--quantizer-file", directory + "/good.safetensors", "--gamma", "0.5"], 64),
            (["--quantizer-file", directory + "/good.safetensors", "--bits", "3"], 64),
        ]
        for (arguments, status) in cases {
            let outcome = try CLIRunner.run(["simulate", "--output", directory + "/out"] + arguments + [input])
            XCTAssertEqual(outcome.status, status, "\(arguments): \(outcome.stderr)")
            XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, "\(arguments): \(outcome.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/out"), "\(arguments)")
        }
        let inspect = try CLIRunner.run(["inspect-quantizer", directory + "/truncated.safetensors"])
        XCTAssertEqual(inspect.status, 1)
        XCTAssertTrue(inspect.stderr.hasPrefix("rawquant: error: \(directory)/truncated.safetensors: "), inspect.stderr)
    }
}
