import Experiments
import Foundation
import Scenes
import TestSupport
import XCTest

final class ExperimentRunnerTests: XCTestCase {
    func testRunsResumesAndReports() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try SyntheticDataset.write(count: 24, seed: 4, configuration: .small(trainFraction: 0.5, valFraction: 0.2), to: directory + "/data")
        var plan = ExperimentPlan.standard(dataset: directory + "/data", bits: [4], seeds: [1], epochs: 1, batchSize: 4, width: 4)
        plan.rows = plan.rows.filter { ["float", "isp", "linear-4", "gamma-per-channel-4"].contains($0.id) }
        var log: [String] = []
        let results = try ExperimentRunner.run(plan, outputDirectory: directory + "/out") { log.append($0) }
        XCTAssertEqual(results.map(\.row.id), ["float", "isp", "linear-4", "gamma-per-channel-4"])
        XCTAssertTrue(results.allSatisfy { (0...1).contains($0.mAP50) && (0...1).contains($0.darkMAP50) })
        XCTAssertEqual(results[3].gammas?.count, 3)
        // A second invocation loads every finished run instead of training again.
        var again: [String] = []
        let reloaded = try ExperimentRunner.run(plan, outputDirectory: directory + "/out", rows: ["linear-4"]) { again.append($0) }
        XCTAssertEqual(reloaded.map(\.row.id), ["linear-4"])
        XCTAssertEqual(reloaded[0].mAP50, results[2].mAP50)
        XCTAssertTrue(again.allSatisfy { $0.contains("done before") }, "\(again)")
        let table = ExperimentReport.markdown(plan, results: results, command: "test", machine: "test")
        for label in ["12-bit raw (float)", "ISP baseline", "linear", "learned γ (per CFA colour)"] { XCTAssertTrue(table.contains(label), label) }
        XCTAssertTrue(table.contains("| 24 |"), "ISP payload is 24 bits per pixel")
        XCTAssertTrue(ExperimentReport.bitsPlot(plan, results: results).svg.contains("<polyline"))
        XCTAssertFalse(table.contains("Not run yet"))

        // Report only: nothing is trained, the missing runs are listed.
        var twoSeeds = plan
        twoSeeds.seeds = [1, 2]
        let partial = try ExperimentRunner.run(twoSeeds, outputDirectory: directory + "/out", trainMissing: false)
        XCTAssertEqual(partial.count, 4, "seed 1 of each row, nothing trained for seed 2")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/out/runs/float/seed-2"))
        let pending = ExperimentReport.markdown(twoSeeds, results: partial, command: "test", machine: "test", rows: ["float", "isp"])
        XCTAssertTrue(pending.contains("**Not run yet** (2 runs"), pending)
        XCTAssertTrue(pending.contains("float seed 2, isp seed 2."), pending)

        // The learned quantizers come from result.json alone, as on a clone without the (ignored) checkpoints.
        XCTAssertNil(results[0].deploySpec, "float has no deploy quantizer")
        let learned = try XCTUnwrap(results[3].deploySpec)
        XCTAssertEqual(learned.gammas, results[3].gammas)
        let runs = directory + "/out/runs"
        for path in FileManager.default.subpaths(atPath: runs) ?? [] where path.hasSuffix(".safetensors") {
            try FileManager.default.removeItem(atPath: runs + "/" + path)
        }
        let winners = try ExperimentQuantizers.winners(plan, outputDirectory: directory + "/out")
        XCTAssertEqual(winners.map(\.row.id), ["linear-4", "gamma-per-channel-4"])
        XCTAssertEqual(winners[1].spec, learned)
    }

    /// The report files of a tiny plan; a report-only pass over the finished runs rewrites them byte for byte.
    func testReportFilesAreWrittenAndReproducedFromTheRuns() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try SyntheticDataset.write(count: 16, seed: 5, configuration: .small(trainFraction: 0.5, valFraction: 0.25), to: directory + "/data")
        var plan = ExperimentPlan.standard(dataset: directory + "/data", bits: [4], seeds: [1], epochs: 1, batchSize: 4, width: 4)
        plan.rows = plan.rows.filter { ["float", "log-4", "gamma-global-4"].contains($0.id) }
        let out = directory + "/out"
        let results = try ExperimentRunner.run(plan, outputDirectory: out)
        let report = try ExperimentOutputs.write(plan, results: results, outputDirectory: out, command: "rawquant experiment", machine: "test",
                                                 exportQuantizers: directory + "/quantizers")
        let files = ["RESULTS.md", "SUMMARY-4bit.md", "map-vs-bits.svg", "transfer-curves-4bit.svg"]
        let written = try files.map { try Data(contentsOf: URL(fileURLWithPath: "\(out)/\($0)")) }
        XCTAssertEqual(String(decoding: written[0], as: UTF8.self), report)
        XCTAssertTrue(report.contains("## Learned quantizers"), report)
        XCTAssertTrue(String(decoding: written[3], as: UTF8.self).contains("learned γ (global)"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory + "/quantizers"), ["gamma-global-4.safetensors"],
                       "only learned rows are exported")
        for file in files { try FileManager.default.removeItem(atPath: "\(out)/\(file)") }
        let reloaded = try ExperimentRunner.run(plan, outputDirectory: out, trainMissing: false)
        try ExperimentOutputs.write(plan, results: reloaded, outputDirectory: out, command: "rawquant experiment", machine: "test")
        for (file, bytes) in zip(files, written) {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(file)")), bytes, file)
        }
    }
}
