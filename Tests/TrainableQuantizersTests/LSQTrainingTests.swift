import Foundation
import NN
import Quantization
import TensorCore
import TrainableQuantizers
import XCTest

/// LSQ's step trained with Adam at the detector's quantizer learning rate (10⁻²) at 8 bits, where the
/// data-driven start is s ≈ 0.005: the relative learning rate keeps s positive; an absolute one does not.
final class LSQTrainingTests: XCTestCase {
    private let layout = ChannelLayout(colors: [0, 1, 1, 2], ranges: [3800, 3800, 3800, 3800])

    /// Dark raw-like values x̂ = 0.3·u³ (most pixels near black), `[2, 4, 16, 16]`.
    private func darkSamples() -> Tensor {
        let u = Tensor.uniform([2, 4, 16, 16], low: 0, high: 1, seed: 21)
        return Tensor(shape: u.shape, scalars: u.scalars.map { 0.3 * $0 * $0 * $0 })
    }

    /// Trains the step alone on the mean squared reconstruction error for `steps` Adam steps at lr 10⁻².
    private func train(relative: Bool, steps: Int) -> (quantizer: LSQQuantizer, start: Float, end: Float) {
        let x = darkSamples()
        let q = LSQQuantizer(bits: 8, perColor: true)
        var groups: [[Float]] = [[], [], []]
        for (i, v) in x.scalars.enumerated() { groups[layout.colors[(i / 256) % 4]].append(v) }
        q.initialize(samples: groups)
        XCTAssertTrue(q.relativeRateParameters.first === q.step, "LSQ names its step as a relative-rate scale")
        q.train()
        let optimizer = Optimizer(Adam(), groups: [ParameterGroup(parameters: [q.step], learningRate: 1e-2, learningRateIsRelative: relative)])
        func loss() -> Tensor { (q(x, layout: layout) - x).square().mean() }
        let start = withNoGrad { loss().item }
        for _ in 0..<steps {
            optimizer.zeroGrad()
            loss().backward()
            optimizer.step()
        }
        return (q, start, withNoGrad { loss().item })
    }

    func testRelativeStepStaysPositiveAndFits() {
        let (q, start, end) = train(relative: true, steps: 300)
        XCTAssertTrue(q.step.value.scalars.allSatisfy { $0 > 0 }, "\(q.step.value.scalars)")
        XCTAssertLessThanOrEqual(end, start, "training the step does not worsen the reconstruction")
        XCTAssertLessThan(end, 1e-5, "an 8-bit grid over dark values reconstructs them closely")
    }

    /// The failure the relative rate fixes (seen in the detection experiment's LSQ rows at 6 and 8 bits).
    func testAbsoluteAdamStepCanCrossZero() {
        let (q, _, _) = train(relative: false, steps: 300)
        XCTAssertTrue(q.step.value.scalars.contains { $0 <= 0 }, "\(q.step.value.scalars)")
    }
}
