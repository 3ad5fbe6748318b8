import TensorCore
import TensorTestSupport
import XCTest

final class BatchNormTests: XCTestCase {
    func testTrainingGradients() {
        // 5×7 = 35 values per plane exercises both the 16-wide vector loops and their remainders.
        let x = Tensor.normal([3, 4, 5, 7], mean: 0.5, std: 2, seed: 40)
        let gamma = Tensor.uniform([4], low: 0.5, high: 1.5, seed: 41)
        let beta = Tensor.normal([4], seed: 42)
        assertGradients([x, gamma, beta]) { t in
            var rm = Tensor.zeros([4]), rv = Tensor.ones([4])
            return t[0].batchNorm2d(weight: t[1], bias: t[2], runningMean: &rm, runningVar: &rv, training: true)
        }
    }

    func testEvalGradients() {
        let x = Tensor.normal([2, 3, 4, 5], seed: 43)
        let gamma = Tensor.uniform([3], low: 0.5, high: 1.5, seed: 44)
        let beta = Tensor.normal([3], seed: 45)
        let rm0 = Tensor.normal([3], seed: 46), rv0 = Tensor.uniform([3], low: 0.5, high: 2, seed: 47)
        assertGradients([x, gamma, beta]) { t in
            var rm = rm0, rv = rv0
            return t[0].batchNorm2d(weight: t[1], bias: t[2], runningMean: &rm, runningVar: &rv, training: false)
        }
    }

    func testTrainingStatisticsAndRunningUpdate() {
        let x = Tensor.normal([4, 2, 3, 3], mean: 3, std: 2, seed: 48)
        var rm = Tensor.zeros([2]), rv = Tensor.ones([2])
        let y = x.batchNorm2d(weight: nil, bias: nil, runningMean: &rm, runningVar: &rv, training: true, momentum: 0.1)
        // Normalised output: zero mean, unit (biased) variance per channel.
        let mean = y.mean(axes: [0, 2, 3])
        let variance = (y * y).mean(axes: [0, 2, 3])
        assertClose(mean, Tensor.zeros([2]), atol: 1e-5)
        assertClose(variance, Tensor.ones([2]), atol: 1e-3)
        // Running update with the batch mean and unbiased variance.
        let xm = x.mean(axes: [0, 2, 3])
        let xc = x - xm.reshaped([1, 2, 1, 1])
        let unbiased = (xc * xc).sum(axes: [0, 2, 3]) / Float(4 * 3 * 3 - 1)
        assertClose(rm, xm * 0.1, atol: 1e-5)
        assertClose(rv, Tensor.full([2], value: 0.9) + unbiased * 0.1, atol: 1e-4)
    }

    func testFusedReLUMatchesSeparateReLU() {
        let x = Tensor.normal([2, 3, 5, 7], seed: 50)
        let gamma = Tensor.uniform([3], low: 0.5, high: 1.5, seed: 51), beta = Tensor.normal([3], seed: 52)
        let upstream = Tensor.normal([2, 3, 5, 7], seed: 53)
        for training in [true, false] {
            var results: [[Tensor]] = []
            for fused in [false, true] {
                let (xl, gl, bl) = (x.requiringGrad(), gamma.requiringGrad(), beta.requiringGrad())
                var rm = Tensor.full([3], value: 0.1), rv = Tensor.full([3], value: 1.2)
                var y = xl.batchNorm2d(weight: gl, bias: bl, runningMean: &rm, runningVar: &rv, training: training, fusedReLU: fused)
                if !fused { y = y.relu() }
                (y * upstream).sum().backward()
                results.append([y, xl.grad!, gl.grad!, bl.grad!, rm, rv])
            }
            for (a, b) in zip(results[0], results[1]) { assertClose(a, b, atol: 1e-5, "training \(training)") }
        }
    }

    func testStatisticsStayAccurateForLargeOffsetsAndOutliers() {
        // Mean 1000, std 0.5, and one far outlier at the start of the channel.
        var x = Tensor.normal([4, 2, 8, 8], mean: 1000, std: 0.5, seed: 60)
        x.withMutableScalars { $0[0] = 5000 }
        var rm = Tensor.zeros([2]), rv = Tensor.ones([2])
        _ = x.batchNorm2d(weight: nil, bias: nil, runningMean: &rm, runningVar: &rv, training: true, momentum: 1)
        for ch in 0..<2 {
            var values: [Double] = []
            for b in 0..<4 { for k in 0..<64 { values.append(Double(x.scalars[(b * 2 + ch) * 64 + k])) } }
            let mean = values.reduce(0, +) / Double(values.count)
            let unbiased = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
            XCTAssertEqual(Double(rm.scalars[ch]), mean, accuracy: 1e-3 * Swift.abs(mean))
            XCTAssertEqual(Double(rv.scalars[ch]), unbiased, accuracy: 1e-3 * unbiased)
        }
    }
}
