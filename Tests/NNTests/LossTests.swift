import Foundation
import NN
import TensorCore
import TensorTestSupport
import XCTest

final class LossTests: XCTestCase {
    let p = Tensor.normal([3, 5], seed: 1)
    let t = Tensor.normal([3, 5], seed: 2)

    func testRegressionLossValues() {
        var mse = 0.0, l1 = 0.0, sl1 = 0.0
        for (a, b) in zip(p.scalars, t.scalars) {
            let d = Double(a - b)
            mse += d * d; l1 += Swift.abs(d)
            sl1 += Swift.abs(d) < 0.5 ? 0.5 * d * d / 0.5 : Swift.abs(d) - 0.25
        }
        XCTAssertEqual(Double(Loss.mse(p, t).item), mse / 15, accuracy: 1e-5)
        XCTAssertEqual(Double(Loss.l1(p, t).item), l1 / 15, accuracy: 1e-5)
        XCTAssertEqual(Double(Loss.smoothL1(p, t, beta: 0.5).item), sl1 / 15, accuracy: 1e-5)
    }

    func testRegressionLossGradients() {
        let pk = awayFromKinks(p, kinks: [], margin: 0)
        let tk = t
        assertGradients([pk]) { Loss.mse($0[0], tk) }
        let safe = Tensor(shape: p.shape, scalars: zip(p.scalars, t.scalars).map { a, b in
            // Keep |p − t| away from 0 and from β = 0.5 (the kinks).
            var d = a - b
            for k: Float in [0, 0.5, -0.5] where Swift.abs(d - k) < 0.05 { d = k + (d < k ? -0.05 : 0.05) }
            return b + d
        })
        assertGradients([safe]) { Loss.l1($0[0], tk) }
        assertGradients([safe]) { Loss.smoothL1($0[0], tk, beta: 0.5) }
    }

    func testBCEWithLogits() {
        let y = Tensor.uniform([3, 5], seed: 3)
        var ref = 0.0
        for (x, yy) in zip(p.scalars.map(Double.init), y.scalars.map(Double.init)) {
            let s = 1 / (1 + Foundation.exp(-x))
            ref += -(yy * Foundation.log(s) + (1 - yy) * Foundation.log(1 - s))
        }
        XCTAssertEqual(Double(Loss.bceWithLogits(p, y).item), ref / 15, accuracy: 1e-5)
        assertGradients([p * 3]) { Loss.bceWithLogits($0[0], y) }
        // Stable for large logits.
        XCTAssertTrue(Loss.bceWithLogits(Tensor(shape: [2], scalars: [200, -200]), Tensor(shape: [2], scalars: [0, 1])).item.isFinite)
    }

    func testCrossEntropy() {
        let logits = Tensor.normal([4, 3], seed: 4)
        let targets = [0, 2, 1, 2]
        var ref = 0.0
        for i in 0..<4 {
            let row = (0..<3).map { Double(logits[i, $0]) }
            let lse = Foundation.log(row.map { Foundation.exp($0) }.reduce(0, +))
            ref += lse - row[targets[i]]
        }
        XCTAssertEqual(Double(Loss.crossEntropy(logits, targets: targets).item), ref / 4, accuracy: 1e-5)
        assertGradients([logits]) { Loss.crossEntropy($0[0], targets: targets) }
        let dense = Tensor.normal([2, 3, 2, 2], seed: 5)
        assertGradients([dense]) { Loss.crossEntropy($0[0], targets: [0, 1, 2, 0, 1, 1, 2, 0]) }
    }

    func testFocalLoss() {
        // Heatmap with two exact peaks and Gaussian falloff.
        var gt = Tensor.uniform([1, 2, 4, 4], low: 0, high: 0.9, seed: 6).scalars
        gt[5] = 1; gt[22] = 1
        let target = Tensor(shape: [1, 2, 4, 4], scalars: gt)
        let logits = Tensor.normal([1, 2, 4, 4], seed: 7)
        var ref = 0.0
        for (x, y) in zip(logits.scalars.map(Double.init), gt.map(Double.init)) {
            let s = 1 / (1 + Foundation.exp(-x))
            ref += y == 1 ? Foundation.pow(1 - s, 2) * Foundation.log(s) : Foundation.pow(1 - y, 4) * Foundation.pow(s, 2) * Foundation.log(1 - s)
        }
        XCTAssertEqual(Double(Loss.focal(logits, target).item), -ref / 2, accuracy: 1e-5)
        assertGradients([logits]) { Loss.focal($0[0], target) }
    }
}
