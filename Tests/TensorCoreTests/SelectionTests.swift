import TensorCore
import TensorTestSupport
import XCTest

final class SelectionTests: XCTestCase {
    func testMaximumMinimumValuesAndGradients() {
        let a = distinctValues([3, 4], spacing: 0.1, seed: 1)
        // Every b is 0.05 away from every a (multiples of 0.1), so no ties within the step.
        let b = distinctValues([4], spacing: 0.1, seed: 2) + 0.05
        assertGradients([a, b]) { $0[0].maximum($0[1]) }
        assertGradients([a, b]) { $0[0].minimum($0[1]) }
        let x = Tensor(shape: [3], scalars: [1, 5, 3]), y = Tensor(shape: [3], scalars: [4, 2, 3])
        XCTAssertEqual(x.maximum(y).scalars, [4, 5, 3])
        XCTAssertEqual(x.minimum(y).scalars, [1, 2, 3])
        XCTAssertEqual(x.maximum(Tensor(2)).scalars, [2, 5, 3])
    }

    func testArgmax() {
        let t = Tensor(shape: [2, 3], scalars: [1, 7, 7, 9, 2, 3])
        XCTAssertEqual(t.argmax(axis: 1), [1, 0])
        XCTAssertEqual(t.argmax(axis: 0), [1, 0, 0])
    }

    func testBroadcastAndStack() {
        let b = Tensor.normal([3, 1], seed: 3)
        assertGradients([b]) { $0[0].broadcast(to: [2, 3, 4]) }
        XCTAssertEqual(Tensor.arange(2).broadcast(to: [2, 2]).scalars, [0, 1, 0, 1])
        let x = Tensor.normal([2, 3], seed: 4), y = Tensor.normal([2, 3], seed: 5)
        assertGradients([x, y]) { Tensor.stack([$0[0], $0[1]], axis: 1) }
        let s = Tensor.stack([Tensor.arange(2), Tensor.arange(2, start: 5)], axis: 0)
        XCTAssertEqual(s.shape, [2, 2])
        XCTAssertEqual(s.scalars, [0, 1, 5, 6])
    }
}
