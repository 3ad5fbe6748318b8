import TensorCore
import XCTest

/// Asserts equal shapes and `|a − b| ≤ atol + rtol·|b|` elementwise.
public func assertClose(_ a: Tensor, _ b: Tensor, atol: Float = 1e-5, rtol: Float = 1e-4,
                        _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, "shape mismatch \(message)", file: file, line: line)
    guard a.shape == b.shape else { return }
    var worst: (Int, Float, Float)? = nil
    var worstExcess: Float = 0
    for i in 0..<a.count {
        let x = a.scalars[i], y = b.scalars[i]
        let excess = Swift.abs(x - y) - (atol + rtol * Swift.abs(y))
        if excess > worstExcess || x.isNaN != y.isNaN { worstExcess = Swift.max(excess, worstExcess); worst = (i, x, y) }
    }
    if let (i, x, y) = worst {
        XCTFail("not close at element \(i): \(x) vs \(y) (atol \(atol), rtol \(rtol)) \(message)", file: file, line: line)
    }
}

/// Asserts `|a − b| ≤ atol + rtol·|b|` for plain arrays of equal length.
public func assertClose(_ a: [Float], _ b: [Float], atol: Float = 1e-5, rtol: Float = 1e-4,
                        _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    assertClose(Tensor(shape: [a.count], scalars: a), Tensor(shape: [b.count], scalars: b),
                atol: atol, rtol: rtol, message, file: file, line: line)
}
