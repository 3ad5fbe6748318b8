import Foundation
import NN
import Quantization
import TensorCore
import TensorTestSupport
import TrainableQuantizers
import XCTest

/// Gradient checks for the learnable parameters: γ, thresholds, LSQ step.
final class QuantizerGradientTests: XCTestCase {
    private let layout = ChannelLayout(colors: [0, 1, 1, 2], ranges: [3800, 3800, 3800, 3800])

    /// Inputs in (0, 1] with odd sizes, including exact 1.
    private func input(_ seed: UInt64) -> Tensor {
        let t = Tensor.uniform([2, 4, 3, 5], low: 0.02, high: 1, seed: seed)
        var s = t.scalars
        s[7] = 1
        return Tensor(shape: t.shape, scalars: s)
    }

    /// With the code step replaced by its straight-through surrogate (identity), γ's gradient is the
    /// derivative of (L·x^γ + ½)/L: check it against central differences in Double.
    func testGammaGradientMatchesFiniteDifferencesOfTheSurrogate() {
        let x = input(1)
        let report = gradCheck([Tensor(shape: [3], scalars: [0.2, -0.4, 0.9])], step: 1e-3) { inputs in
            let gamma = inputs[0].softplus().gather(axis: 0, indices: self.layout.colors, indexShape: [4]).reshaped([1, 4, 1, 1])
            return (x.pow(gamma) * 8 + 0.5) / Tensor(8)
        }
        XCTAssertTrue(report.passed, "\(report)")
        // The quantizer's straight-through gradient equals the surrogate's analytic gradient.
        let q = LearnableGammaQuantizer(bits: 3, initialGamma: [1])
        q.rho.assign(Tensor(shape: [3], scalars: [0.2, -0.4, 0.9]))
        let weights = Tensor.uniform([2, 4, 3, 5], low: -1, high: 1, seed: 9)
        (q(x, layout: layout) * weights).sum().backward()
        let rho = Tensor(shape: [3], scalars: [0.2, -0.4, 0.9]).requiringGrad()
        let gamma = rho.softplus().gather(axis: 0, indices: layout.colors, indexShape: [4]).reshaped([1, 4, 1, 1])
        (((x.pow(gamma) * 8 + 0.5) / Tensor(8)) * weights).sum().backward()
        assertClose(q.rho.grad!, rho.grad!, atol: 1e-6, rtol: 1e-5)
    }

    func testGammaGradientIsZeroAtBlackAndFiniteAtWhite() {
        let x = Tensor(shape: [1, 4, 1, 3], scalars: [0, 1, 0.5, 0, 1, 0.5, 0, 1, 0.5, 0, 1, 0.5])
        let q = LearnableGammaQuantizer(bits: 4, initialGamma: [0.3])
        let out = q(x, layout: layout)
        XCTAssertTrue(out.scalars.allSatisfy(\.isFinite))
        // Only the x̂ = 0 pixels of the green channels carry weight: ∂y/∂γ = y·ln x̂ must be 0 there.
        let weights = Tensor(shape: [1, 4, 1, 3], scalars: [0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0])
        (out * weights).sum().backward()
        XCTAssertEqual(q.rho.grad!.scalars, [0, 0, 0])
        q.zeroGrad()
        q(x, layout: layout).sum().backward()
        XCTAssertTrue(q.rho.grad!.scalars.allSatisfy(\.isFinite))
    }

    func testThresholdGradientsOfSoftQuantization() {
        for mode in [ThresholdQuantizer.Mode.sq, .bwsq] {
            let q = ThresholdQuantizer(mode: mode, bits: 2, perColor: true, schedule: .constant(0.2))
            let x = input(2)
            let report = gradCheck([x, q.thresholds.value], step: 1e-3) { inputs in
                q.quantize(inputs[0], layout: self.layout, thresholds: inputs[1])
            }
            XCTAssertTrue(report.passed, "\(mode): \(report)")
        }
    }

    /// One threshold group per feature (feature vectors laid out `[B, F, 1, 1]`): gradients reach each feature's own thresholds.
    func testThresholdGradientsWithOneGroupPerFeature() {
        let features = 5
        let featureLayout = ChannelLayout(colors: Array(0..<features), ranges: [Float](repeating: 1, count: features))
        for mode in [ThresholdQuantizer.Mode.sq, .bwsq] {
            let q = ThresholdQuantizer(mode: mode, bits: 2, groups: features, schedule: .constant(0.2))
            q.thresholds.assign(Tensor.uniform([features, 3], low: 0.1, high: 0.9, seed: 9))
            let x = Tensor.uniform([6, features, 1, 1], low: 0, high: 1, seed: 8)
            let report = gradCheck([x, q.thresholds.value], step: 1e-3) { inputs in
                q.quantize(inputs[0], layout: featureLayout, thresholds: inputs[1])
            }
            XCTAssertTrue(report.passed, "\(mode): \(report)")
        }
    }

    /// LSQ's step gradient against its defining formula computed independently in Double.
    func testLSQStepGradientFollowsTheFormula() {
        let bits = 3, qp = 7.0
        let q = LSQQuantizer(bits: bits, perColor: true, initialStep: 0.1)
        q.step.assign(Tensor(shape: [3], scalars: [0.09, 0.13, 0.2]))
        let x = Tensor.uniform([2, 4, 3, 5], low: -0.05, high: 1, seed: 4)
        let weights = Tensor.uniform(x.shape, low: -1, high: 1, seed: 5)
        let xg = x.requiringGrad()
        (q(xg, layout: layout) * weights).sum().backward()
        var expected = [Double](repeating: 0, count: 3)
        var expectedX = [Float](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let channel = (i / 15) % 4, color = layout.colors[channel]
            let s = Double(q.step.value.scalars[color]), r = Double(x.scalars[i]) / s, g = Double(weights.scalars[i])
            if r < 0 { continue }
            if r > qp { expected[color] += g * qp; continue }
            expected[color] += g * (r.rounded(.toNearestOrEven) - r)
            expectedX[i] = weights.scalars[i]
        }
        let scale = 1 / (Double(x.count) * qp).squareRoot()
        for c in 0..<3 { XCTAssertEqual(Double(q.step.grad!.scalars[c]), expected[c] * scale, accuracy: 1e-5) }
        XCTAssertEqual(xg.grad!.scalars, expectedX)
    }

    func testTemperatureSchedules() {
        XCTAssertEqual(TemperatureSchedule.exponential(start: 1, end: 1e-3).temperature(epoch: 0, of: 10), 1)
        XCTAssertEqual(TemperatureSchedule.exponential(start: 1, end: 1e-3).temperature(epoch: 5, of: 10), Float(pow(1e-3, 0.5)), accuracy: 1e-6)
        XCTAssertEqual(TemperatureSchedule.exponential(start: 1, end: 1e-6).temperature(epoch: 9, of: 10), 1e-4, "floored at 1e-4")
        XCTAssertEqual(TemperatureSchedule.linear(start: 1, end: 0.1).temperature(epoch: 9, of: 10), 0.1, accuracy: 1e-6)
        XCTAssertEqual(TemperatureSchedule.cosine(start: 1, end: 0).temperature(epoch: 5, of: 10), 0.5, accuracy: 1e-6)
        XCTAssertEqual(TemperatureSchedule.warmupLinear(start: 1, end: 0.1, warmupEpochs: 3).temperature(epoch: 2, of: 10), 1)
        XCTAssertEqual(TemperatureSchedule.cyclical(high: 1, low: 0.2, period: 5).temperature(epoch: 5, of: 20), 1)
        XCTAssertEqual(TemperatureSchedule.cyclical(high: 1, low: 0.2, period: 5).temperature(epoch: 4, of: 20), 0.2, accuracy: 1e-6)
        let q = ThresholdQuantizer(mode: .bwsq, bits: 2, schedule: .linear(start: 1, end: 0.5))
        q.startEpoch(4, of: 5)
        XCTAssertEqual(q.temperature, 0.5, accuracy: 1e-6)
    }

    func testThresholdInitialisationAndSorting() throws {
        let q = ThresholdQuantizer(mode: .sq, bits: 2, perColor: false)
        q.initialize(.minMax, samples: [[0.1, 0.5, 0.9]])
        assertClose(q.thresholds.value.scalars, [0.1 + 0.8 / 3 * 0.5, 0.1 + 0.8 / 3 * 1.5, 0.1 + 0.8 / 3 * 2.5])
        let data = (0..<100).map { Float($0) / 100 }
        q.initialize(.quantile, samples: [data])
        XCTAssertEqual(q.thresholds.value.scalars, [0.25, 0.5, 0.75])
        q.keepSorted = true
        q.thresholds.assign(Tensor(shape: [1, 3], scalars: [0.6, 0.2, 0.4]))
        q.afterOptimizerStep()
        XCTAssertEqual(q.thresholds.value.scalars, [0.2, 0.4, 0.6])
        XCTAssertEqual(try q.deploySpec().thresholds!, [[Double(Float(0.2)), Double(Float(0.4)), Double(Float(0.6))]])
    }

    func testEveryCodeIsReachableAndOutputsAreFiniteAtTheEnds() throws {
        for bits in 1...8 {
            for quantizer in TrainDeployAgreementTests.quantizers(bits: bits) {
                let spec = try quantizer.deploySpec()
                let channel = ChannelQuantizer(mapping: spec.mapping(colorIndex: 1, range: 16383 - 1024), networkEncoding: spec.networkEncoding,
                                               bits: bits, black: 1024, white: 16383, adcBits: 14)
                XCTAssertTrue(zip(channel.encoder, channel.encoder.dropFirst()).allSatisfy { $0 <= $1 }, "monotone \(spec.summary)")
                if bits <= 4 { XCTAssertEqual(Set(channel.encoder).count, 1 << bits, "every code reached: \(spec.summary)") }
                quantizer.train()
                let out = quantizer(Tensor(shape: [1, 4, 1, 2], scalars: [0, 1, 0, 1, 0, 1, 0, 1]), layout: layout)
                XCTAssertTrue(out.scalars.allSatisfy(\.isFinite), spec.summary)
            }
        }
    }
}

final class GammaStartTests: XCTestCase {
    func testMedianStartMapsTheMedianToTheMiddleCode() {
        let q = LearnableGammaQuantizer(bits: 4, initialGamma: [1], perColor: true)
        let red: [Float] = [0.001, 0.01, 0.04, 0.2, 0.9], green: [Float] = [0.6, 0.7, 0.8], blue: [Float] = [0, 0, 0.5]
        q.initializeFromMedian(samples: [red, green, blue])
        let gamma = q.gamma.scalars
        XCTAssertEqual(Double(gamma[0]), log(0.5) / log(Double(Float(0.04))), accuracy: 1e-5)
        XCTAssertEqual(pow(0.04, Double(gamma[0])), 0.5, accuracy: 1e-5, "median^γ = ½")
        XCTAssertEqual(gamma[1], 1, accuracy: 1e-6, "a median above ½ keeps γ = 1")
        XCTAssertEqual(gamma[2], 1, accuracy: 1e-6, "a zero median keeps γ = 1")
        let global = LearnableGammaQuantizer(bits: 2, initialGamma: [1], perColor: false)
        global.initializeFromMedian(samples: [[1e-9, 1e-9], [1e-9], [1e-9]])
        XCTAssertEqual(global.gamma.scalars[0], 0.05, accuracy: 1e-6, "pooled, and clamped to 0.05")
    }
}
