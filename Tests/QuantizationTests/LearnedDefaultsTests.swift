import Foundation
import Quantization
import TestSupport
import XCTest

/// The compiled-in learned defaults are exactly the committed quantizer files they were generated from.
final class LearnedDefaultsTests: XCTestCase {
    private func files(_ prefix: String) throws -> [String] {
        let directory = Fixtures.path("quantizers")
        return try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix(prefix) && $0.dropFirst(prefix.count).first?.isNumber == true && $0.hasSuffix(".safetensors") }
            .map { directory + "/" + $0 }
    }

    func testLearnedGammasEqualTheCommittedQuantizerFiles() throws {
        let files = try files("gamma-per-channel-")
        XCTAssertEqual(files.count, QuantizerSpec.learnedGammas.count, "one file per learned width")
        for file in files {
            let spec = try QuantizerFile.read(path: file)
            XCTAssertEqual(spec.kind, .gamma)
            XCTAssertEqual(spec.gammas.count, 3, "per colour")
            XCTAssertEqual(QuantizerSpec.learnedGammas[spec.bits], spec.gammas, file)
        }
    }

    func testLearnedLogScalesEqualTheCommittedQuantizerFiles() throws {
        let files = try files("log-learned-global-")
        XCTAssertEqual(files.count, QuantizerSpec.learnedLogScales.count, "one file per learned width")
        for file in files {
            let spec = try QuantizerFile.read(path: file)
            XCTAssertEqual(spec.kind, .log)
            XCTAssertEqual(spec.logScales?.count, 1, "one D for all colours")
            XCTAssertEqual(QuantizerSpec.learnedLogScales[spec.bits], spec.logScales?.first, file)
        }
    }

    /// The default is the learned log of the nearest learned width (ties to fewer bits); `--quantizer gamma`
    /// without γ is the learned γ of the nearest width.
    func testDefaultQuantizerUsesTheNearestLearnedWidth() throws {
        for bits in 1...8 {
            let spec = try QuantizerSpec.defaultQuantizer(bits: bits)
            XCTAssertEqual(spec.bits, bits)
            XCTAssertEqual(spec.kind, .log)
            let nearest = QuantizerSpec.learnedLogScales.keys.min { (abs($0 - bits), $0) < (abs($1 - bits), $1) }!
            XCTAssertEqual(spec.logScales, [QuantizerSpec.learnedLogScales[nearest]!], "\(bits)")
            let gamma = try QuantizerSpec.learnedGammaQuantizer(bits: bits)
            let nearestGamma = QuantizerSpec.learnedGammas.keys.min { (abs($0 - bits), $0) < (abs($1 - bits), $1) }!
            XCTAssertEqual(gamma.gammas, QuantizerSpec.learnedGammas[nearestGamma]!, "\(bits)")
        }
        if let four = QuantizerSpec.learnedLogScales[4] { XCTAssertEqual(try QuantizerSpec.defaultQuantizer(bits: 4).logScales, [four]) }
    }
}
