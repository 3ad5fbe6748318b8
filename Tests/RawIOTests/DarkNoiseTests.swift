import Bayer
import RawIO
import Support
import TestSupport
import XCTest

final class DarkNoiseTests: XCTestCase {
    /// Rounded Gaussian dark frames with row banding and hot pixels: σ comes back within 4 %
    /// (for σ ≥ 1 code; rounding adds 1/12 code² of variance, which the estimate rightly includes).
    func testRecoversTheReadNoise() throws {
        for sigma in [0.8, 1.5, 4.0, 12.0] {
            var random = SeededRandom(seed: UInt64(sigma * 10))
            let rows = 400, columns = 60
            var values = [UInt16](repeating: 0, count: rows * columns)
            for r in 0..<rows {
                let band = Double(random.int(-3, 3))
                for c in 0..<columns {
                    var v = 256 + band + sigma * Double(random.nextNormal())
                    if random.chance(0.001) { v = 4000 }  // hot pixel
                    values[r * columns + c] = UInt16(max(0, v.rounded()))
                }
            }
            let estimate = try XCTUnwrap(DarkNoise.estimate(rows: rows, columns: columns) { values[$0 * columns + $1] })
            let expected = (sigma * sigma + 1.0 / 12).squareRoot()
            XCTAssertEqual(estimate, expected, accuracy: 0.04 * expected, "σ \(sigma)")
        }
        XCTAssertNil(DarkNoise.estimate(rows: 100, columns: 10) { _, _ in 7 })  // flat: no measurement
        XCTAssertNil(DarkNoise.estimate(rows: 10, columns: 10) { r, c in UInt16(r * c) })  // too few pixels
    }

    /// The bundled CR2 keeps a masked margin: its dark noise is measured (a couple of codes at ISO 640).
    func testTheCR2sMarginIsMeasured() throws {
        let image = try RawDecoder.decode(path: Fixtures.path("IMG_5952.CR2"))
        let noise = try XCTUnwrap(image.metadata.darkNoise)
        XCTAssertGreaterThan(noise, 0.5)
        XCTAssertLessThan(noise, 10)
        XCTAssertNil(try RawDecoder.decode(path: Fixtures.path("generated/synthetic_rggb_12bit.dng")).metadata.darkNoise)
    }
}
