import Foundation
import TensorCore
import TestSupport
import TrainableQuantizers
import XCTest

/// `reference-batch`: every learnable family writes its batch, the same seed gives the same bytes, and a fixed
/// curve is refused.
final class ReferenceBatchCommandTests: XCTestCase {
    func testEveryLearnableFamilyWritesADeterministicBatch() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for family in InputRepresentation.allCases where family.isLearnable {
            let path = directory + "/\(family.rawValue).safetensors"
            let outcome = try CLIRunner.run(["reference-batch", "--quantizer", family.rawValue, "--bits", "3", "--output", path])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            let file = try SafeTensors.load(from: path)
            let (tensors, metadata) = (file.tensors, file.metadata)
            XCTAssertEqual(metadata["format"], "rawquant-quantizer-reference")
            XCTAssertEqual(tensors["x"]?.shape, [2, 4, 8, 8])
            XCTAssertEqual(tensors["weights"]?.shape, tensors["output"]?.shape)
            let grads = tensors.keys.filter { $0.hasPrefix("grad.") }
            XCTAssertFalse(grads.isEmpty, family.rawValue)
            for name in grads {
                XCTAssertEqual(tensors[name]?.shape, tensors["param." + name.dropFirst(5)]?.shape, name)
                XCTAssertTrue(tensors[name]!.scalars.contains { $0 != 0 } && tensors[name]!.scalars.allSatisfy(\.isFinite), "\(family) \(name)")
            }
            let again = directory + "/again.safetensors"
            XCTAssertEqual(try CLIRunner.run(["reference-batch", "--quantizer", family.rawValue, "--bits", "3", "--output", again]).status, 0)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), try Data(contentsOf: URL(fileURLWithPath: again)), family.rawValue)
        }
        let fixed = try CLIRunner.run(["reference-batch", "--quantizer", "log", "--output", directory + "/log.safetensors"])
        XCTAssertNotEqual(fixed.status, 0)
        XCTAssertTrue(fixed.stderr.contains("learnable"), fixed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/log.safetensors"))
    }
}
