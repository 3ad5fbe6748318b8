import Foundation
import RawQuant
import TestSupport
import XCTest

/// The commands without a test of their own: experiment (a tiny plan end to end), fit-quantizer, features
/// table (and --update), bench (each prints its documented keys), detect and eval values.
final class ToolCommandTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func run(_ arguments: [String]) throws -> CLIRunner.Outcome {
        let outcome = try CLIRunner.run(arguments)
        XCTAssertEqual(outcome.status, 0, "\(arguments): \(outcome.stderr)")
        return outcome
    }

    func testExperimentWritesItsReportAndReportOnlyReproducesIt() throws {
        try SyntheticDataset.write(count: 16, seed: 6, configuration: .small(trainFraction: 0.5, valFraction: 0.25), to: directory + "/data")
        let common = ["experiment", "--data", directory + "/data", "--out", directory + "/out", "--rows", "float,linear-2,lsq-2", "--bits", "2",
                      "--seeds", "1", "--epochs", "1", "--batch", "4", "--width", "4"]
        let first = try run(common)
        XCTAssertTrue(first.stdout.contains("lsq-2 seed 1: mAP50"), first.stdout)
        let files = ["RESULTS.md", "map-vs-bits.svg", "transfer-curves-2bit.svg"]
        let written = try files.map { try Data(contentsOf: URL(fileURLWithPath: "\(directory)/out/\($0)")) }
        let results = String(decoding: written[0], as: UTF8.self)
        for row in ["12-bit raw (float)", "| linear | 2 |", "| LSQ | 2 |"] { XCTAssertTrue(results.contains(row), row) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/out/SUMMARY-4bit.md"), "no 4-bit rows")
        let again = try run(common + ["--report-only"])
        XCTAssertTrue(again.stdout.contains("done before"), again.stdout)
        for (file, bytes) in zip(files, written) {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/out/\(file)")), bytes, file)
        }
        let bad = try CLIRunner.run(["experiment", "--data", directory + "/data", "--width", "0"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertEqual(bad.stderr, "rawquant: error: --width must be in 4...512, got 0\n")
    }

    func testFitQuantizerWritesItsQuantizersAndPlot() throws {
        let outcome = try run(["fit-quantizer", "--bits", "3", "--samples", "2000", "--steps", "20", "--output", directory, "--json",
                               Fixtures.path("generated/synthetic_rggb_12bit.dng")])
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let methods = try XCTUnwrap(report["methods"] as? [[String: Any]])
        XCTAssertEqual(methods.compactMap { $0["name"] as? String }, ["linear", "fixed γ = 1/2.2", "learned γ", "learned Bw-SQ"])
        XCTAssertEqual((report["gridOptimumGamma"] as? [Double])?.count, 3)
        for name in ["gamma-3bit.safetensors", "bwsq-3bit.safetensors", "transfer-curves-3bit.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/" + name), name)
        }
        XCTAssertEqual(try QuantizerFile.read(path: directory + "/gamma-3bit.safetensors").bits, 3)
    }

    func testFeaturesTableAndUpdateKeepTheOtherMethodsCells() throws {
        let csv = directory + "/t.csv", table = directory + "/t.md"
        _ = try run(["features", "synth", "--kind", "friedman1", "--rows", "200", "--seed", "4", "--out", csv])
        let training = ["--data", csv, "--target", "y", "--epochs", "2", "--hidden", "8", "--repeats", "2", "--bits", "2,4", "--out", table]
        let first = try run(["features", "table", "--methods", "fp,minmax"] + training)
        XCTAssertTrue(first.stdout.contains("test MSE"), first.stdout)
        let cells = try JSONDecoder().decode([FeatureBenchmark.Cell].self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/t.json")))
        XCTAssertEqual(Set(cells.map(\.method)), [.fp, .minmax])
        _ = try run(["features", "table", "--methods", "minmax", "--update"] + training)
        let updated = try JSONDecoder().decode([FeatureBenchmark.Cell].self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/t.json")))
        XCTAssertEqual(Set(updated.map(\.method)), [.fp, .minmax])
        let fp = { (list: [FeatureBenchmark.Cell]) in list.filter { $0.method == .fp }.map(\.scores) }
        XCTAssertEqual(fp(updated), fp(cells), "fp cells kept from the first run")
        XCTAssertTrue(try String(contentsOfFile: table, encoding: .utf8).contains("cells of the other methods kept"))
        let missing = try CLIRunner.run(["features", "table", "--methods", "fp", "--update"] + training.dropLast(2))
        XCTAssertEqual(missing.status, 64)
        XCTAssertEqual(missing.stderr, "rawquant: error: --update needs --out\n")
    }

    func testBenchmarksPrintTheirKeys() throws {
        let simulate = try run(["bench", "simulate", "--runs", "1", Fixtures.path("generated/synthetic_rggb_12bit.dng")])
        for key in ["libraw-unpack-ms:", "quantize-pack-vs-memcpy:", "simulate-no-writers-vs-unpack:", "simulate-with-writers-ms:",
                    "peak-memory-vs-mosaic:"] {
            XCTAssertTrue(simulate.stdout.contains(key), key)
        }
        let unprocess = try run(["bench", "unprocess", "--runs", "1", "--tiles", "2", "--raw", Fixtures.path("generated/synthetic_rggb_12bit.dng")])
        for key in ["decode-mpx-per-s:", "mosaic-noise-mpx-per-s:", "unprocess-1-thread-mpx-per-s:", "unprocess-2-threads-mpx-per-s:",
                    "simulate-1-thread-mpx-per-s:", "unprocess-2-threads-vs-simulate:"] {
            XCTAssertTrue(unprocess.stdout.contains(key), key)
        }
        let detect = try run(["bench", "detect", "--runs", "1", "--sizes", "64x64,96x64"])
        // The `detect-ms` lines keep their names; the module path's lines were added beside them.
        XCTAssertEqual(detect.stdout.split(separator: "\n").map { $0.split(separator: ":")[0] }.filter { $0.hasPrefix("detect-ms") },
                       ["detect-ms 64x64 threads 1", "detect-ms 64x64 threads 2", "detect-ms 96x64 threads 1", "detect-ms 96x64 threads 2"])
        XCTAssertEqual(detect.stdout.split(separator: "\n").filter { $0.hasPrefix("detect-module-ms") }.count, 4)
        let network = try run(["bench", "detect", "--network-only", "--runs", "1", "--sizes", "64x64"])
        XCTAssertEqual(network.stdout.split(separator: "\n").map { $0.split(separator: ":")[0] },
                       ["network-input 64x64", "network-ms 64x64 threads 1", "network-module-ms 64x64 threads 1",
                        "network-ms 64x64 threads 2", "network-module-ms 64x64 threads 2"])
        let detectorStep = try run(["bench", "detector-step", "--batch", "1", "--steps", "1", "--size", "64", "--width", "4", "--threads", "1"])
        for key in ["detector-step-ms:", "images-per-second:"] { XCTAssertTrue(detectorStep.stdout.contains(key), key) }
        let step = try run(["bench", "train-step", "--batch", "1", "--steps", "1", "--threads", "1"])
        for key in ["train-step-ms:", "forward-ms:"] { XCTAssertTrue(step.stdout.contains(key), key) }
    }

    func testDetectAndEvalReportTheLibrarysValues() throws {
        let scene = Fixtures.path("scenes/scene_000017.dng")
        let detect = try run(["detect", "--json", "--score-threshold", "0.3", scene])
        struct Row: Decodable, Equatable { var file: String; var `class`: String; var score: Double; var box: [Double] }
        let printed = try JSONDecoder().decode([Row].self, from: Data(detect.stdout.utf8))
        let detector = try RawDetector.load(from: try BundledModel.path()).detector
        let expected = detector.detect(try RawDecoder.decode(path: scene), name: scene).filter { $0.score >= 0.3 }
            .map { Row(file: scene, class: $0.className, score: $0.score, box: [$0.box.xmin, $0.box.ymin, $0.box.xmax, $0.box.ymax]) }
        XCTAssertFalse(expected.isEmpty, "the bundled model finds the bundled scene's objects")
        XCTAssertEqual(printed, expected)

        // A one-image VOC set of the bundled scene: eval prints what the library computes.
        let data = directory + "/voc"
        for sub in ["Annotations", "ImageSets/Main"] { try FileManager.default.createDirectory(atPath: "\(data)/\(sub)", withIntermediateDirectories: true) }
        try FileManager.default.copyItem(atPath: scene, toPath: data + "/scene_000017.dng")
        try FileManager.default.copyItem(atPath: Fixtures.path("scenes/scene_000017.xml"), toPath: data + "/Annotations/scene_000017.xml")
        try "scene_000017\n".write(toFile: data + "/ImageSets/Main/test.txt", atomically: true, encoding: .utf8)
        let eval = try run(["eval", "--data", data, "--split", "test", "--json"])
        let printedResult = try JSONDecoder().decode(EvaluationResult.self, from: Data(eval.stdout.utf8))
        let dataset = try DatasetLoader.load(directory: data, split: "test", options: DatasetLoadOptions(classes: detector.classes))
        XCTAssertEqual(printedResult, try DetectorEvaluation.run(detector, on: dataset).result)
        XCTAssertGreaterThan(try XCTUnwrap(printedResult.mAP50), 0.5)
    }
}
