import FeatureCompression
import Foundation
import XCTest

/// The paper's protocol (`features table --protocol paper`): candidates, one fixed 10 % test split, resuming, and the
/// paper's Pr-QQ decode levels.
final class PaperProtocolTests: XCTestCase {
    func testCandidatesStartWithTheBaseAndAreSeededAndDistinct() {
        var base = FeatureTrainingOptions(method: .bwsq, bits: 4)
        base.epochs = 7
        var paper = PaperProtocol()
        paper.settings = 5
        let candidates = paper.candidates(base: base)
        XCTAssertEqual(candidates.count, 5)
        XCTAssertEqual(candidates[0], FeatureSearchSetting(base))
        XCTAssertEqual(Set(candidates.map(\.description)).count, 5, "distinct")
        XCTAssertEqual(candidates.map(\.description), paper.candidates(base: base).map(\.description), "seeded")
        paper.seed = 2
        XCTAssertNotEqual(candidates.map(\.description), paper.candidates(base: base).map(\.description))
    }

    func testTheSplitHoldsOutATenthAndTheRunResumes() throws {
        let data = FeatureCompressionTests.friedman(300)
        var paper = PaperProtocol()
        paper.repeats = 2
        paper.settings = 2
        let split = paper.split(count: data.count)
        XCTAssertEqual(split.test.count, 30)
        XCTAssertEqual(Set(split.test + split.training + split.validation).count, 300)
        var base = FeatureTrainingOptions(method: .fp, bits: 4)
        base.epochs = 2
        base.hidden = [8]
        var saved = 0
        let first = try paper.run(data, methods: [.fp, .quantile], bits: [2], base: base) { _ in saved += 1 }
        XCTAssertEqual(first.map(\.method), [.fp, .quantile])
        XCTAssertEqual(saved, 2, "saved after every cell")
        XCTAssertTrue(first.allSatisfy { $0.scores.count == 2 && $0.searchLosses.count == 2 })
        // Resuming with the first cell done runs only the second, and gives the same numbers (seeded).
        var ran: [String] = []
        let resumed = try paper.run(data, methods: [.fp, .quantile], bits: [2], base: base, existing: [first[0]], log: { ran.append($0) })
        XCTAssertEqual(ran.count, 1)
        XCTAssertTrue(ran[0].hasPrefix("quantile 2-bit"), ran[0])
        XCTAssertEqual(resumed.map(\.scores), first.map(\.scores))
    }

    /// Pr-QQ decodes inner codes to their interval's middle and the end codes to their threshold ∓ half the
    /// neighbouring interval (the authors' HardQuantizationThresholdRoundingLayer).
    func testQuantileCodesDecodeAsThePapersPrQQ() throws {
        // One feature uniform on 0…1000: quantile thresholds at ≈ 250, 500, 750 (u ≈ ¼, ½, ¾).
        let rows = (0...1000).map { [Double($0)] }
        let scaler = FeatureScaler(fitting: rows)
        let layer = FeatureQuantizerLayer(method: .quantile, bits: 2, scaler: scaler, training: rows)
        let codec = try XCTUnwrap(FeatureCodec(layer))
        let t = codec.unitThresholds[0].map(Double.init)
        let expected = [t[0] - (t[1] - t[0]) / 2, (t[0] + t[1]) / 2, (t[1] + t[2]) / 2, t[2] + (t[2] - t[1]) / 2]
        // The network's values are z-scores of the levels: (min + u·range − mean)/std.
        let values = codec.networkValues[0].map { Double($0[0]) }
        for (value, u) in zip(values, expected) {
            XCTAssertEqual(value, (u * 1000 - scaler.mean[0]) / scaler.std[0], accuracy: 1e-4)
        }
    }
}
