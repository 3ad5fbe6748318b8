import Foundation
import Support
import TestSupport
import XCTest

/// `simulate` and `detect` over a file list: shards partition it, `--skip-existing` skips complete output sets
/// only, and `--jsonl` reports every input on its own line.
final class BatchRunCommandTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private struct Line: Decodable { var file: String; var status: String; var outputs: [String]; var error: String? }

    private func lines(_ text: String) throws -> [Line] {
        try text.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
    }

    /// Six copies of a small fixture and one missing file, listed in `list.txt`.
    private func makeList() throws -> [String] {
        let source = Fixtures.path("generated/synthetic_grbg_14bit.dng")
        var paths: [String] = []
        for i in 1...6 {
            let path = directory + "/in/raw\(i).dng"
            try FileManager.default.createDirectory(atPath: directory + "/in", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: source, toPath: path)
            paths.append(path)
        }
        paths.append(directory + "/in/missing.dng")
        try (paths.joined(separator: "\n") + "\n\n").write(toFile: directory + "/list.txt", atomically: true, encoding: .utf8)
        return paths
    }

    func testShardsPartitionTheListAndJSONLinesReportEachInput() throws {
        let paths = try makeList()
        var seen: [String] = []
        for k in 1...3 {
            let outcome = try CLIRunner.run(["simulate", "--files-from", directory + "/list.txt", "--shard", "\(k)/3", "--jsonl",
                                             "--output", directory + "/out", "--jobs", "1"])
            let reported = try lines(outcome.stdout)
            XCTAssertEqual(outcome.status, reported.contains { $0.status == "error" } ? 1 : 0, outcome.stderr)
            for line in reported {
                XCTAssertEqual(line.status == "error", line.file.hasSuffix("missing.dng"), "\(line)")
                if line.status == "ok" { XCTAssertTrue(line.outputs.allSatisfy { FileManager.default.fileExists(atPath: $0) }) }
                if line.status == "error" { XCTAssertTrue(line.error?.contains("missing.dng") ?? false) }
            }
            seen += reported.map(\.file)
            XCTAssertTrue(reported.allSatisfy { try! BatchSelection.Shard(index: k, count: 3).contains($0.file) })
        }
        XCTAssertEqual(seen.sorted(), paths.sorted(), "the shards cover the list once")
    }

    func testSkipExistingRedoesOnlyIncompleteSets() throws {
        let paths = try makeList().dropLast()
        let list = directory + "/list.txt"
        try (paths.joined(separator: "\n") + "\n").write(toFile: list, atomically: true, encoding: .utf8)
        let first = try CLIRunner.run(["simulate", "--files-from", list, "--output", directory + "/out", "--jsonl"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(try lines(first.stdout).map(\.status), Array(repeating: "ok", count: 6))
        // Break two sets: one loses its preview, one has a truncated .rqm (the manifest's size no longer matches).
        try FileManager.default.removeItem(atPath: directory + "/out/raw2.q4.jpg")
        let rqm = directory + "/out/raw5.q4.rqm"
        try Data(try Data(contentsOf: URL(fileURLWithPath: rqm)).dropLast(3)).write(to: URL(fileURLWithPath: rqm))
        let before = try Data(contentsOf: URL(fileURLWithPath: directory + "/out/raw1.q4.rqm"))
        let second = try CLIRunner.run(["simulate", "--files-from", list, "--output", directory + "/out", "--jsonl", "--skip-existing"])
        XCTAssertEqual(second.status, 0, second.stderr)
        let statuses = Dictionary(uniqueKeysWithValues: try lines(second.stdout).map { (($0.file as NSString).lastPathComponent, $0.status) })
        XCTAssertEqual(statuses, ["raw1.dng": "skipped", "raw2.dng": "ok", "raw3.dng": "skipped", "raw4.dng": "skipped",
                                  "raw5.dng": "ok", "raw6.dng": "skipped"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory + "/out/raw1.q4.rqm")), before)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/out/raw2.q4.jpg"))
        XCTAssertNotNil(BatchSelection.completeOutputs(manifest: directory + "/out/raw5.q4.manifest.json"))
    }

    /// `detect` over a list with the bundled model: shards cover it once, each input's detections file equals what
    /// `--json` prints for it, and `--skip-existing` redoes exactly the inputs whose outputs are missing.
    func testDetectRunsInShardsAndSkipsCompleteInputs() throws {
        let source = Fixtures.path("scenes/scene_000017.dng")
        try FileManager.default.createDirectory(atPath: directory + "/in", withIntermediateDirectories: true)
        let paths = try (1...4).map { i -> String in
            let path = directory + "/in/scene\(i).dng"
            try FileManager.default.copyItem(atPath: source, toPath: path)
            return path
        } + [directory + "/in/missing.dng"]
        let list = directory + "/list.txt"
        try (paths.joined(separator: "\n") + "\n").write(toFile: list, atomically: true, encoding: .utf8)
        var seen: [String] = []
        for k in 1...2 {
            let outcome = try CLIRunner.run(["detect", "--files-from", list, "--shard", "\(k)/2", "--jsonl", "--output", directory + "/out",
                                             "--preview", directory + "/preview"])
            let reported = try lines(outcome.stdout)
            XCTAssertEqual(outcome.status, reported.contains { $0.status == "error" } ? 1 : 0, outcome.stderr)
            for line in reported {
                XCTAssertEqual(line.status == "error", line.file.hasSuffix("missing.dng"), "\(line)")
                if line.status == "ok" {
                    XCTAssertEqual(line.outputs.count, 2)
                    XCTAssertTrue(line.outputs.allSatisfy { FileManager.default.fileExists(atPath: $0) }, "\(line)")
                }
            }
            seen += reported.map(\.file)
        }
        XCTAssertEqual(seen.sorted(), paths.sorted(), "the shards cover the list once")
        let printed = try CLIRunner.run(["detect", "--json", paths[0]])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        struct Record: Decodable, Equatable { var file: String; var `class`: String; var score: Double; var box: [Double] }
        XCTAssertEqual(try JSONDecoder().decode([Record].self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/out/scene1.detections.json"))),
                       try JSONDecoder().decode([Record].self, from: Data(printed.stdout.utf8)))
        // A lost preview makes its input incomplete; the rest is skipped.
        try FileManager.default.removeItem(atPath: directory + "/preview/scene3.detections.jpg")
        let again = try CLIRunner.run(["detect", "--files-from", list, "--jsonl", "--skip-existing", "--output", directory + "/out",
                                       "--preview", directory + "/preview"])
        let statuses = Dictionary(uniqueKeysWithValues: try lines(again.stdout).map { (($0.file as NSString).lastPathComponent, $0.status) })
        XCTAssertEqual(statuses, ["scene1.dng": "skipped", "scene2.dng": "skipped", "scene3.dng": "ok", "scene4.dng": "skipped", "missing.dng": "error"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/preview/scene3.detections.jpg"))
        let noOutput = try CLIRunner.run(["detect", "--skip-existing", paths[0]])
        XCTAssertNotEqual(noOutput.status, 0)
        XCTAssertTrue(noOutput.stderr.contains("--output"), noOutput.stderr)
    }

    /// `unprocess` in two shards with `--jsonl` and a photo list: each photo once, the index assembled by the last shard.
    func testUnprocessRunsInShardsFromAList() throws {
        try UnprocessCommandTests.writePhotos(into: directory, count: 5)
        let photos = (0..<4).map { "\(directory)/photos/p\($0).jpg" }
        try (photos.joined(separator: "\n") + "\n").write(toFile: directory + "/photos.txt", atomically: true, encoding: .utf8)
        var seen: [String] = []
        for k in 1...2 {
            let outcome = try CLIRunner.run(["unprocess", "--images", directory + "/photos", "--annotations", directory + "/coco.json",
                                             "--format", "coco", "--out", directory + "/data", "--files-from", directory + "/photos.txt",
                                             "--shard", "\(k)/2", "--jsonl", "--jobs", "1"])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            let reported = try lines(outcome.stdout)
            XCTAssertTrue(reported.allSatisfy { $0.status == "ok" && $0.outputs.count == 2 && $0.outputs.allSatisfy(FileManager.default.fileExists) })
            seen += reported.map(\.file)
        }
        XCTAssertEqual(seen.map { ($0 as NSString).standardizingPath }.sorted(), photos.sorted())
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/data/dataset.json"))) as? [String: Any]
        XCTAssertEqual((index?["entries"] as? [Any])?.count, 4, "p4 is not listed")
    }

    func testBadListsAndShardsAreClearErrors() throws {
        let noInput = try CLIRunner.run(["simulate", "--output", directory])
        XCTAssertNotEqual(noInput.status, 0)
        XCTAssertTrue(noInput.stderr.contains("--files-from"), noInput.stderr)
        for shard in ["0/3", "4/3", "3", "a/b", "1/0"] {
            let outcome = try CLIRunner.run(["simulate", "--shard", shard, "--output", directory, Fixtures.path("generated/synthetic_grbg_14bit.dng")])
            XCTAssertNotEqual(outcome.status, 0, shard)
            XCTAssertTrue(outcome.stderr.contains("shard"), outcome.stderr)
        }
        let missing = try CLIRunner.run(["simulate", "--files-from", directory + "/nope.txt", "--output", directory])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("nope.txt"), missing.stderr)
        XCTAssertEqual(try contentsOfOutput(), [])
    }

    private func contentsOfOutput() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".rqm") }
    }

    func testTheShardOfAPathIsStable() throws {
        let shard = try BatchSelection.Shard(parsing: "2/5")
        XCTAssertEqual(shard.description, "2/5")
        // FNV-1a 64 of "" and "a" (the published test vectors).
        XCTAssertEqual(BatchSelection.fnv1a(""), 0xCBF2_9CE4_8422_2325)
        XCTAssertEqual(BatchSelection.fnv1a("a"), 0xAF63_DC4C_8601_EC8C)
        let counts = (0..<1000).reduce(into: [Int](repeating: 0, count: 5)) { counts, i in
            let path = "/data/raw/\(i).dng"
            counts[Int(BatchSelection.fnv1a(path) % 5)] += 1
        }
        XCTAssertTrue(counts.allSatisfy { (150...250).contains($0) }, "\(counts)")
    }
}
