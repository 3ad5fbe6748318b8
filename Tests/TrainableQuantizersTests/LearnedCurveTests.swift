import Foundation
import NN
import Quantization
import TensorCore
import TensorTestSupport
import TrainableQuantizers
import XCTest
import Bayer
import Support

/// The learned log, γ-log and monotone curves: gradients against finite differences, the fixed log as their
/// start, monotonicity, and their quantizer files.
final class LearnedCurveTests: XCTestCase {
    private let layout = ChannelLayout(colors: [0, 1, 1, 2], ranges: [3839, 3839, 3839, 3839])

    func testLogAndGammaLogGradientsMatchFiniteDifferences() {
        let x = Tensor.uniform([2, 4, 3, 5], low: 0.001, high: 1, seed: 3)
        let delta = Tensor(shape: [3], scalars: [5.5, 2.0, 7.9]), rho = Tensor(shape: [3], scalars: [0.3, 0.9, -0.2])
        let log = gradCheck([x, delta], step: 1e-3) { LearnedLogQuantizer.curve($0[0], layout: self.layout, logScale: $0[1], rho: nil) }
        XCTAssertTrue(log.passed, "\(log)")
        let gammaLog = gradCheck([x, delta, rho], step: 1e-3) {
            LearnedLogQuantizer.curve($0[0], layout: self.layout, logScale: $0[1], rho: $0[2])
        }
        XCTAssertTrue(gammaLog.passed, "\(gammaLog)")
        // The quantizer's straight-through gradient reaches D and γ.
        let q = LearnedLogQuantizer(bits: 4, gamma: 0.7, groups: 3)
        q(x, layout: layout).sum().backward()
        XCTAssertTrue(q.logScale.grad!.scalars.allSatisfy { $0 != 0 && $0.isFinite })
        XCTAssertTrue(q.rho!.grad!.scalars.allSatisfy { $0 != 0 && $0.isFinite })
    }

    /// At black (x̂ = 0) γ-log is 0 with finite gradients for γ below and above 1 (no ∞ · 0).
    func testGammaLogIsFiniteAtBlack() {
        let x = Tensor(shape: [1, 4, 1, 3], scalars: [0, 1, 0.5, 0, 1, 0.5, 0, 1, 0.5, 0, 1, 0.5])
        for gamma: Float in [0.3, 1, 2.5] {
            let q = LearnedLogQuantizer(bits: 4, gamma: gamma, groups: 3)
            let out = q(x, layout: layout)
            XCTAssertEqual(out.scalars[0], 0.5 / 16)
            out.sum().backward()
            XCTAssertTrue(q.logScale.grad!.scalars.allSatisfy(\.isFinite), "γ \(gamma)")
            XCTAssertTrue(q.rho!.grad!.scalars.allSatisfy(\.isFinite), "γ \(gamma)")
        }
    }

    func testMonotoneGradientsMatchFiniteDifferences() {
        let knots = MonotoneCurve.logSpacedKnots(segments: 6, range: 50)
        let x = awayFromKinks(Tensor.uniform([2, 4, 3, 5], low: 0, high: 1, seed: 4), kinks: knots, margin: 0.01)
        let theta = Tensor.uniform([3, 6], low: -1, high: 1, seed: 5)
        let report = gradCheck([x, theta], step: 1e-3) { MonotoneCurveQuantizer.curve($0[0], layout: self.layout, theta: $0[1], knots: knots) }
        XCTAssertTrue(report.passed, "\(report)")
    }

    /// A fresh learned log and a fresh monotone curve (knots log-spaced for the range, equal increments) give the
    /// fixed log's codes for every 12-bit ADC code but a few at code boundaries (Float rounding of the knots / D).
    func testTheNewFamiliesStartAtTheFixedLog() throws {
        let white = 4095, black = 256, range = Float(white - black)
        for bits in [2, 4, 6] {
            let fixed = ChannelQuantizer(spec: try .log(bits: bits), colorIndex: 1, black: black, white: white, adcBits: 12)
            let learnedLog = LearnedLogQuantizer(bits: bits, groups: 1)
            learnedLog.initialize(range: range)
            let monotone = MonotoneCurveQuantizer(bits: bits, segments: 1 << bits, groups: 3)
            monotone.initialize(range: range)
            let gammaLog = LearnedLogQuantizer(bits: bits, gamma: 0.4, groups: 3)
            gammaLog.initialize(range: range)
            for q in [learnedLog, monotone, gammaLog] as [InputQuantizer] {
                let spec = try q.deploySpec()
                let channel = ChannelQuantizer(spec: spec, colorIndex: 1, black: black, white: white, adcBits: 12)
                let differing = zip(channel.encoder, fixed.encoder).filter { $0 != $1 }
                XCTAssertLessThanOrEqual(differing.count, 4, "\(spec.summary) at \(bits) bits")
                XCTAssertTrue(differing.allSatisfy { abs(Int($0) - Int($1)) <= 1 })
            }
        }
    }

    func testMonotoneCurvesStayMonotoneAndReachOne() throws {
        let q = MonotoneCurveQuantizer(bits: 4, segments: 16, groups: 3)
        q.theta.assign(Tensor.uniform([3, 16], low: -20, high: 8, seed: 7))
        let spec = try q.deploySpec()
        for color in 0..<3 {
            let channel = ChannelQuantizer(spec: spec, colorIndex: color, black: 0, white: 16383, adcBits: 14)
            XCTAssertTrue(zip(channel.encoder, channel.encoder.dropFirst()).allSatisfy { $0 <= $1 })
            XCTAssertEqual(channel.encoder.last, 15)
            XCTAssertTrue(zip(channel.decoder, channel.decoder.dropFirst()).allSatisfy { $0 <= $1 })
        }
        let curve = MonotoneCurve(knots: [0, 0.25, 1], increments: [0.5, 0.5])
        XCTAssertEqual(curve.apply(0.125), 0.25)
        XCTAssertEqual(curve.invert(0.25), 0.125, accuracy: 1e-12)
        XCTAssertEqual(curve.invert(0.75), 0.625, accuracy: 1e-12)
    }

    func testQuantizerFilesOfTheNewKindsRoundTripAndBadOnesAreRefused() throws {
        let specs = [try QuantizerSpec.log(bits: 4, scales: [120, 2000, 64]),
                     try QuantizerSpec.gammaLog([0.75], scales: [900], bits: 3),
                     try QuantizerSpec.monotone(knots: [0, 0.125, 0.5, 1], increments: [[0.25, 0.25, 0.5]], bits: 2)]
        for spec in specs {
            XCTAssertEqual(try QuantizerFile.decode(try QuantizerFile.encode(spec)).spec, spec)
            XCTAssertTrue(try QuantizerTable(spec: spec, adcBits: 12, black: 256, white: 4095).text.contains(spec.kind == .monotone ? "knots" : "log scale D"))
        }
        XCTAssertThrowsError(try QuantizerSpec(kind: .gammaLog, bits: 4, gammas: [1]))                        // no D
        XCTAssertThrowsError(try QuantizerSpec(kind: .gamma, bits: 4, gammas: [1], logScales: [10]))         // D on γ
        XCTAssertThrowsError(try QuantizerSpec.monotone(knots: [0, 0.5, 0.4, 1], increments: [[0.3, 0.3, 0.4]], bits: 4))
        XCTAssertThrowsError(try QuantizerSpec.monotone(knots: [0, 1], increments: [[0.7, 0.5]], bits: 4))
        XCTAssertThrowsError(try QuantizerSpec.monotone(knots: [0, 1], increments: [[-0.1]], bits: 4))
        XCTAssertThrowsError(try QuantizerSpec.log(bits: 4, scales: [0]))
        // A file whose kind needs tensors it lacks.
        var bytes = try QuantizerFile.encode(specs[2])
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.contains("knots"))
        bytes = SafeTensorsCodec.encode([:], metadata: ["format": QuantizerFile.format, "version": QuantizerFile.version, "kind": "monotone", "bits": "4"])
        XCTAssertThrowsError(try QuantizerFile.decode(bytes)) { XCTAssertTrue("\($0)".contains("knots"), "\($0)") }
    }
}
