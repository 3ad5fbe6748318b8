import TensorCore
import TensorTestSupport
import XCTest

/// The gradient checker must be able to fail: a deliberately wrong backward is caught.
final class GradCheckSelfTests: XCTestCase {
    func testCheckerRejectsWrongGradient() {
        let x = Tensor.normal([3, 5], seed: 1)
        // y = 3x, but backward claims 2g.
        let report = gradCheck([x]) { xs in
            let x = xs[0]
            return Tensor.custom(inputs: [x], shape: x.shape, scalars: x.scalars.map { 3 * $0 }) { g in [g * 2] }
        }
        XCTAssertFalse(report.passed, "checker accepted a wrong gradient: \(report)")
    }

    func testCheckerAcceptsRightCustomGradient() {
        let x = Tensor.normal([3, 5], seed: 1)
        assertGradients([x]) { xs in
            let x = xs[0]
            return Tensor.custom(inputs: [x], shape: x.shape, scalars: x.scalars.map { 3 * $0 }) { g in [g * 3] }
        }
    }
}
