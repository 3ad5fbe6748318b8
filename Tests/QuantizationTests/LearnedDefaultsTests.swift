import Foundation
import Quantization
import TestSupport
import XCTest

/// The compiled-in learned defaults are exactly the committed quantizer files they were generated from.
final class LearnedDefaultsTests: XCTestCase {
    func testLearnedGammasEqualTheCommittedQuantizerFiles() throws {
        let directory = Fixtures.path("quantizers")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("gamma-per-channel-") && $0.hasSuffix(".safetensors") }
        XCTAssertEqual(files.count, QuantizerSpec.learnedGammas.count, "one file per learned width")
        for file in files {
            let spec = try QuantizerFile.read(path: directory + "/" + file)
            XCTAssertEqual(spec.kind, .gamma)
            XCTAssertEqual(spec.gammas.count, 3, "per colour")
            XCTAssertEqual(QuantizerSpec.learnedGammas[spec.bits], spec.gammas, file)
        }
    }

    func testDefaultQuantizerUsesTheNearestLearnedWidth() throws {
        for bits in 1...8 {
            let spec = try QuantizerSpec.defaultQuantizer(bits: bits)
            let nearest = QuantizerSpec.learnedGammas.keys.map { abs($0 - bits) }.min()!
            XCTAssertEqual(spec.bits, bits)
            XCTAssertTrue(QuantizerSpec.learnedGammas.contains { abs($0.key - bits) == nearest && $0.value == spec.gammas }, "\(bits)")
        }
        if let four = QuantizerSpec.learnedGammas[4] { XCTAssertEqual(try QuantizerSpec.defaultQuantizer(bits: 4).gammas, four) }
    }
}
