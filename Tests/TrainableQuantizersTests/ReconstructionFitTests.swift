import Foundation
import Quantization
import TensorCore
import TrainableQuantizers
import XCTest

/// Fitting quantizers to dark, heavy-tailed data (like raw mosaics) by log-domain reconstruction.
final class ReconstructionFitTests: XCTestCase {
    /// x̂ = u³ · 0.4 for uniform u: most values near black, a few bright.
    private func samples(_ n: Int, seed: UInt64) -> Tensor {
        let u = Tensor.uniform([1, 4, 1, n], low: 0, high: 1, seed: seed)
        return Tensor(shape: u.shape, scalars: u.scalars.map { $0 * $0 * $0 * 0.4 })
    }

    func testLearnedGammaApproachesTheGridOptimumAndBeatsLinearAndDisplayGamma() throws {
        let train = samples(4096, seed: 1), heldOut = samples(4096, seed: 2)
        let layout = ChannelLayout.bayerPlanes(range: 3839)
        let q = LearnableGammaQuantizer(bits: 4, initialGamma: [1], perColor: false)
        let losses = ReconstructionFit.fitGamma(q, samples: train, layout: layout, options: .init(steps: 400))
        XCTAssertLessThan(losses.last!, losses.first! * 0.5)
        let learned = ReconstructionFit.logError(spec: try q.deploySpec(), samples: heldOut, layout: layout)
        let grid = try (5...150).map { try ReconstructionFit.logError(spec: .gamma([Double($0) / 100], bits: 4), samples: heldOut, layout: layout) }.min()!
        XCTAssertLessThan(learned.squareRoot(), grid.squareRoot() * 1.1, "RMS error within 10 % of the best γ on a grid")
        XCTAssertLessThan(learned, ReconstructionFit.logError(spec: try .gamma([1 / 2.2], bits: 4), samples: heldOut, layout: layout))
        XCTAssertLessThan(learned, ReconstructionFit.logError(spec: try .linear(bits: 4), samples: heldOut, layout: layout))
    }

    func testBwSQFitLearnsADecoderThatBeatsItsInitialisation() throws {
        let train = samples(4096, seed: 3), heldOut = samples(4096, seed: 4)
        let layout = ChannelLayout.bayerPlanes(range: 3839)
        let q = ThresholdQuantizer(mode: .bwsq, bits: 3, perColor: true, keepSorted: true)
        let n = 4096
        q.initialize(.quantile, samples: [Array(train.scalars[0..<n]), Array(train.scalars[n..<(3 * n)]), Array(train.scalars[(3 * n)...])])
        let initial = ReconstructionFit.logError(spec: try q.deploySpec(), samples: heldOut, layout: layout)
        ReconstructionFit.fitBwSQ(q, samples: train, layout: layout, options: .init(steps: 150))
        let spec = try q.deploySpec()
        XCTAssertNotNil(spec.decoderValues)
        XCTAssertLessThan(ReconstructionFit.logError(spec: spec, samples: heldOut, layout: layout), initial)
        XCTAssertTrue(spec.thresholds!.allSatisfy { row in zip(row, row.dropFirst()).allSatisfy { $0 <= $1 } && row.allSatisfy { (0...1).contains($0) } })
    }
}
