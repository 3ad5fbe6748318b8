import Foundation
import NN
import Quantization
import TensorCore
import TensorTestSupport
import TrainableQuantizers
import XCTest

/// The variants of issue 16's learned curves: the median-rule start (learned log, γ-log, monotone) and the
/// additive-noise code step.
final class CurveStartAndCodeStepTests: XCTestCase {
    private let layout = ChannelLayout(colors: [0, 1, 1, 2], ranges: [3839, 3839, 3839, 3839])

    /// The median rule puts the median pixel at the middle of the code range: y(m) = ½ for the learned log (per
    /// colour and pooled), and at a knot of the monotone curve (its knots are uniform in that log's y).
    func testTheMedianRuleMapsTheMedianToTheMiddleCode() {
        let medians: [Float] = [0.01, 0.04, 0.2]
        let samples = medians.map { m in [m / 4, m / 2, m, 2 * m, 0.9] }
        let perColour = LearnedLogQuantizer(bits: 4, groups: 3)
        perColour.initializeFromMedian(samples: samples, range: 3839)
        let d = perColour.scale.scalars
        for (m, scale) in zip(medians, d) {
            XCTAssertEqual(Foundation.log1p(Double(scale) * Double(m)) / Foundation.log1p(Double(scale)), 0.5, accuracy: 1e-5)
        }
        XCTAssertGreaterThan(d[0], d[1])  // darker pixels, stronger log
        let gammaLog = LearnedLogQuantizer(bits: 4, gamma: 0.6, groups: 3)
        gammaLog.initializeFromMedian(samples: samples, range: 3839)
        for gamma in gammaLog.gamma!.scalars { XCTAssertEqual(gamma, 1, accuracy: 1e-6) }

        let pooled = samples.flatMap { $0 }.sorted()[samples.flatMap { $0 }.count / 2]
        let global = LearnedLogQuantizer(bits: 4, groups: 1)
        global.initializeFromMedian(samples: samples, range: 3839)
        let g = Double(global.scale.scalars[0])
        XCTAssertEqual(Foundation.log1p(g * Double(pooled)) / Foundation.log1p(g), 0.5, accuracy: 1e-5)

        let curve = MonotoneCurveQuantizer(bits: 4, segments: 16, groups: 3)
        curve.initializeFromMedian(samples: samples, range: 3839)
        XCTAssertEqual(Double(curve.knots.value.scalars[8]), Double(pooled), accuracy: 1e-5 * Double(pooled))
        let x = Tensor(shape: [1, 4, 1, 1], scalars: [Float](repeating: curve.knots.value.scalars[8], count: 4))
        for value in MonotoneCurveQuantizer.curve(x, layout: layout, theta: curve.theta.value, knots: curve.knots.value.scalars).scalars {
            XCTAssertEqual(value, 0.5, accuracy: 1e-5)
        }
    }

    /// No median (empty, black or bright pools) falls back to the fixed log of the range.
    func testTheMedianRuleFallsBackToTheFixedLog() {
        let q = LearnedLogQuantizer(bits: 4, groups: 3)
        q.initializeFromMedian(samples: [[], [0, 0, 0], [0.7, 0.8, 0.9]], range: 3839)
        for scale in q.scale.scalars { XCTAssertEqual(scale, 3839, accuracy: 0.01) }
    }

    /// The noise step: within half a code of the curve in training, the same noise for the same seed and calls,
    /// the curve's gradient unchanged (identity); eval mode is the hard code, as with the straight-through step.
    func testTheNoiseCodeStep() {
        let x = Tensor.uniform([2, 4, 3, 5], low: 0.001, high: 1, seed: 7)
        func make(_ step: CodeStep, seed: UInt64 = 3) -> LearnedLogQuantizer {
            let q = LearnedLogQuantizer(bits: 3, scale: 200, groups: 1)
            q.codeStep = step
            q.codeStepSeed = seed
            return q
        }
        let hard = make(.straightThrough)
        let y = withNoGrad { LearnedLogQuantizer.curve(x, layout: layout, logScale: hard.logScale.value, rho: nil) }
        let trainedHard = hard(x, layout: layout).scalars
        let noisy = make(.noise), again = make(.noise), other = make(.noise, seed: 4)
        let first = noisy(x, layout: layout)
        XCTAssertEqual(first.scalars, again(x, layout: layout).scalars)
        XCTAssertNotEqual(first.scalars, other(x, layout: layout).scalars)
        XCTAssertNotEqual(first.scalars, noisy(x, layout: layout).scalars, "each call draws fresh noise")
        for (o, c) in zip(first.scalars, y.scalars) { XCTAssertLessThanOrEqual(abs(o - c), 0.5 / 8 + 1e-6) }
        XCTAssertNotEqual(first.scalars, trainedHard)
        // Identity backward: ∂(sum)/∂δ equals that of the curve itself.
        let fresh = make(.noise)
        fresh(x, layout: layout).sum().backward()
        let reference = Parameter(Tensor(shape: [1], scalars: [Foundation.log(200)]))
        LearnedLogQuantizer.curve(x, layout: layout, logScale: reference.value, rho: nil).sum().backward()
        XCTAssertEqual(Double(fresh.logScale.grad!.scalars[0]), Double(reference.grad!.scalars[0]), accuracy: 1e-3 * abs(Double(reference.grad!.scalars[0])))
        // Eval: both steps give the hard codes.
        noisy.eval()
        hard.eval()
        XCTAssertEqual(noisy(x, layout: layout).scalars, hard(x, layout: layout).scalars)
        XCTAssertEqual(hard(x, layout: layout).scalars, trainedHard)
    }
}
