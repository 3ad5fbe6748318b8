import TensorCore
import TensorTestSupport
import XCTest

final class ElementwiseGradTests: XCTestCase {
    func testBroadcastArithmeticGradients() {
        let shapes: [([Int], [Int])] = [([3, 4], [3, 4]), ([2, 3, 5], [3, 1]), ([1, 4], [3, 1]), ([5], []), ([2, 1, 3], [4, 1])]
        for (i, (sa, sb)) in shapes.enumerated() {
            let a = Tensor.normal(sa, seed: UInt64(10 + i))
            let b = Tensor.uniform(sb, low: 0.5, high: 2, seed: UInt64(20 + i))
            assertGradients([a, b]) { $0[0] + $0[1] }
            assertGradients([a, b]) { $0[0] - $0[1] }
            assertGradients([a, b]) { $0[0] * $0[1] }
            assertGradients([a, b]) { $0[0] / $0[1] }
        }
    }

    func testBroadcastShapes() {
        let y = Tensor.ones([2, 1, 3]) + Tensor.ones([4, 1])
        XCTAssertEqual(y.shape, [2, 4, 3])
        let s = Tensor.arange(3) * 2
        XCTAssertEqual(s.scalars, [0, 2, 4])
    }

    func testPowGradients() {
        let x = Tensor.uniform([2, 3, 3], low: 0.3, high: 2, seed: 3)
        let gamma = Tensor.uniform([3, 1], low: 0.5, high: 2.5, seed: 4)
        assertGradients([x, gamma]) { $0[0].pow($0[1]) }
        assertGradients([x]) { $0[0].pow(2.5) }
        assertGradients([Tensor.normal([7], seed: 5)]) { $0[0].pow(3) }
    }

    func testSmoothUnaryGradients() {
        let x = Tensor.normal([3, 7], seed: 6)
        let pos = Tensor.uniform([3, 7], low: 0.2, high: 3, seed: 7)
        assertGradients([x]) { -$0[0] }
        assertGradients([x]) { $0[0].exp() }
        assertGradients([pos]) { $0[0].log() }
        assertGradients([pos]) { $0[0].sqrt() }
        assertGradients([x]) { $0[0].sigmoid() }
        assertGradients([x]) { $0[0].tanh() }
        assertGradients([x]) { $0[0].silu() }
        assertGradients([x * 3]) { $0[0].softplus() }
        assertGradients([x * 3]) { $0[0].logSigmoid() }
        assertGradients([x]) { $0[0].square() }
    }

    func testKinkedUnaryGradients() {
        let x = awayFromKinks(Tensor.normal([5, 9], seed: 8), kinks: [0, -0.5, 0.7])
        assertGradients([x]) { $0[0].abs() }
        assertGradients([x]) { $0[0].relu() }
        assertGradients([x]) { $0[0].leakyRelu(slope: 0.1) }
        assertGradients([x]) { $0[0].clamp(min: -0.5, max: 0.7) }
    }

    func testRoundingIsStraightThrough() {
        let x = Tensor(shape: [5], scalars: [-1.5, -0.4, 0.5, 1.5, 2.7]).requiringGrad()
        let w = Tensor(shape: [5], scalars: [1, 2, 3, 4, 5])
        XCTAssertEqual(x.round().scalars, [-2, -0, 0, 2, 3])
        XCTAssertEqual(x.floor().scalars, [-2, -1, 0, 1, 2])
        (x.round() * w).sum().backward()
        XCTAssertEqual(x.grad?.scalars, w.scalars)
        x.zeroGrad()
        (x.floor() * w).sum().backward()
        XCTAssertEqual(x.grad?.scalars, w.scalars)
    }

    func testForwardValues() {
        let x = Tensor(shape: [4], scalars: [-2, -0.5, 0, 3])
        XCTAssertEqual(x.relu().scalars, [0, 0, 0, 3])
        XCTAssertEqual(x.abs().scalars, [2, 0.5, 0, 3])
        XCTAssertEqual(x.clamp(min: -1, max: 1).scalars, [-1, -0.5, 0, 1])
        XCTAssertEqual(x.leakyRelu(slope: 0.5).scalars, [-1, -0.25, 0, 3])
        XCTAssertEqual(Tensor(0).sigmoid().item, 0.5)
    }
}
