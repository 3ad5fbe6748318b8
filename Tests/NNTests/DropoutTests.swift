import NN
import TensorCore
import TensorTestSupport
import XCTest

final class DropoutTests: XCTestCase {
    func testTrainingZeroesAboutPAndKeepsTheExpectation() {
        let dropout = Dropout(p: 0.25, seed: 7)
        let x = Tensor(shape: [200, 50], scalars: [Float](repeating: 2, count: 10_000))
        let y = dropout(x)
        let zeros = y.scalars.filter { $0 == 0 }.count
        XCTAssertEqual(Double(zeros) / 10_000, 0.25, accuracy: 0.02)
        XCTAssertTrue(y.scalars.allSatisfy { $0 == 0 || $0 == 2 / 0.75 })
        XCTAssertEqual(Double(y.scalars.reduce(0, +)) / 10_000, 2, accuracy: 0.05)
    }

    func testEvalIsTheIdentityAndSeedsAreDeterministic() {
        let x = Tensor.normal([8, 16], seed: 3)
        let a = Dropout(p: 0.5, seed: 11), b = Dropout(p: 0.5, seed: 11), c = Dropout(p: 0.5, seed: 12)
        let ya = a(x), yb = b(x)
        XCTAssertEqual(ya.scalars, yb.scalars, "same seed, same masks")
        XCTAssertNotEqual(ya.scalars, c(x).scalars, "another seed, other masks")
        XCTAssertNotEqual(a(x).scalars, ya.scalars, "each call draws a new mask")
        a.eval()
        XCTAssertEqual(a(x).scalars, x.scalars)
    }

    func testGradientIsTheScaledMask() {
        let x = Tensor.normal([6, 10], seed: 5)
        // Finite differences: each evaluation builds the same layer, hence the same first mask.
        assertGradients([x]) { Dropout(p: 0.3, seed: 21)($0[0]) }
        let leaf = x.requiringGrad()
        Dropout(p: 0.3, seed: 21)(leaf).sum().backward()
        let mask = Dropout(p: 0.3, seed: 21)(Tensor(shape: x.shape, scalars: [Float](repeating: 1, count: x.count)))
        XCTAssertEqual(leaf.grad?.scalars, mask.scalars)
    }
}
