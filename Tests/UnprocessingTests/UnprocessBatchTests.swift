import Foundation
import Support
import TestSupport
import XCTest
import Unprocessing

/// Batch `unprocess`: N shards together write exactly the files and index one process writes; `--skip-existing`
/// redoes only incomplete photos; a file list restricts the photos.
final class UnprocessBatchTests: XCTestCase {
    private func tree(_ root: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for sub in ["raw", "Annotations", "ImageSets/Main"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: "\(root)/\(sub)") {
                files["\(sub)/\(name)"] = try Data(contentsOf: URL(fileURLWithPath: "\(root)/\(sub)/\(name)"))
            }
        }
        files["dataset.json"] = try Data(contentsOf: URL(fileURLWithPath: "\(root)/dataset.json"))
        return files
    }

    func testShardsTogetherEqualOneProcessAndSkipExistingRedoesOnlyIncompletePhotos() throws {
        let (root, _) = try UnprocessedDatasetTests.makeSource(count: 4)
        let source = try PhotoSource.load(images: "\(root)/images", annotations: "\(root)/annotations", format: .coco)
        let described = [PhotoSourceDescription(images: "\(root)/images", annotations: "\(root)/annotations", format: .coco)]
        let options = UnprocessOptions(cameras: [.canonEOS30D])
        let single = try Fixtures.temporaryDirectory(), sharded = try Fixtures.temporaryDirectory()
        try UnprocessedDataset.write(source: source, described: described, options: options, to: single, concurrency: 2)
        let reference = try tree(single)
        XCTAssertEqual(reference.keys.filter { $0.hasPrefix("raw/") }.count, 8)

        final class Lines: @unchecked Sendable {
            private var items: [(String, String)] = []
            private let lock = NSLock()
            func add(_ photo: String, _ status: String) { lock.lock(); items.append((photo, status)); lock.unlock() }
            var all: [(String, String)] { lock.lock(); defer { lock.unlock() }; return items }
        }
        let lines = Lines()
        for k in [3, 1, 2] {
            var batch = UnprocessBatch()
            batch.shard = try BatchSelection.Shard(index: k, count: 3)
            batch.report = { photo, status, _, _ in lines.add(photo, status) }
            try UnprocessedDataset.write(source: source, described: described, options: options, to: sharded, concurrency: 1, batch: batch)
            XCTAssertEqual(FileManager.default.fileExists(atPath: sharded + "/dataset.json"), k == 2, "only the last shard assembles the index")
        }
        XCTAssertEqual(lines.all.map(\.0).sorted(), source.records.map(\.imagePath).sorted(), "the shards cover the photos once")
        XCTAssertTrue(lines.all.allSatisfy { $0.1 == "ok" })
        XCTAssertEqual(try tree(sharded), reference, "byte-identical to one process")

        // A photo loses its XML (as a killed run leaves it: the DNG is written first): only it is redone.
        let victim = source.records[2].id
        try FileManager.default.removeItem(atPath: "\(sharded)/Annotations/\(victim).xml")
        let rerun = Lines()
        var batch = UnprocessBatch()
        batch.skipExisting = true
        batch.report = { photo, status, _, _ in rerun.add((photo as NSString).lastPathComponent, status) }
        try UnprocessedDataset.write(source: source, described: described, options: options, to: sharded, concurrency: 1, batch: batch)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: rerun.all).filter { $0.value == "ok" }.keys.sorted(), ["\(victim).jpg"])
        XCTAssertEqual(try tree(sharded), reference)

        // A list restricts the photos.
        let listed = try Fixtures.temporaryDirectory()
        var some = UnprocessBatch()
        some.photos = Set(source.records.prefix(3).map { ($0.imagePath as NSString).standardizingPath })
        let manifest = try UnprocessedDataset.write(source: source, described: described, options: options, to: listed, concurrency: 1, batch: some)
        XCTAssertEqual(manifest.entries.map(\.id), source.records.prefix(3).map(\.id))
    }
}
