import Foundation
import Support
import XCTest

final class FastSamplingTests: XCTestCase {
    /// Moments and tail mass of the ziggurat normal: mean 0, variance 1, kurtosis 3, P(|z| > 3) = 0.0027.
    func testZigguratIsStandardNormal() {
        var random = SeededRandom(seed: 11)
        let n = 2_000_000
        var m1 = 0.0, m2 = 0.0, m4 = 0.0, tail = 0, beyondR = 0
        for _ in 0..<n {
            let z = Double(Ziggurat.normal(&random))
            m1 += z; m2 += z * z; m4 += z * z * z * z
            if abs(z) > 3 { tail += 1 }
            if abs(z) > 3.442619855899 { beyondR += 1 }
        }
        m1 /= Double(n); m2 /= Double(n); m4 /= Double(n)
        XCTAssertEqual(m1, 0, accuracy: 0.003)
        XCTAssertEqual(m2, 1, accuracy: 0.004)
        XCTAssertEqual(m4, 3, accuracy: 0.03)
        XCTAssertEqual(Double(tail) / Double(n), 0.0026998, accuracy: 0.0002)
        XCTAssertEqual(Double(beyondR) / Double(n), 0.000576, accuracy: 0.0001)  // the tail algorithm is used
        // The distribution function at a few points (Φ(−1) = 0.158655, Φ(0.5) = 0.691462).
        var random2 = SeededRandom(seed: 12)
        var below = (0, 0)
        for _ in 0..<n {
            let z = Ziggurat.normal(&random2)
            if z < -1 { below.0 += 1 }
            if z < 0.5 { below.1 += 1 }
        }
        XCTAssertEqual(Double(below.0) / Double(n), 0.158655, accuracy: 0.001)
        XCTAssertEqual(Double(below.1) / Double(n), 0.691462, accuracy: 0.001)
    }

    /// Poisson counts on both sides of the method switch at 10: the probabilities of k match e^−λ λ^k / k!.
    func testPoissonProbabilities() throws {
        for mean: Float in [0.5, 4, 9.9, 10, 17, 29.5] {
            var random = SeededRandom(seed: UInt64(mean * 10))
            let n = 400_000
            var counts = [Int](repeating: 0, count: 128)
            for _ in 0..<n { counts[min(127, Int(try XCTUnwrap(Ziggurat.poisson(mean, &random))))] += 1 }
            let lambda = Double(mean)
            var chiSquare = 0.0, cells = 0
            for k in 0..<100 {
                let p = exp(-lambda + Double(k) * log(lambda) - lgamma(Double(k) + 1))
                let expected = p * Double(n)
                guard expected >= 20 else { continue }
                chiSquare += (Double(counts[k]) - expected) * (Double(counts[k]) - expected) / expected
                cells += 1
            }
            // χ² with `cells` − 1 degrees of freedom: its mean is cells − 1, its sd √(2(cells − 1)); allow 5 sd.
            XCTAssertLessThan(chiSquare, Double(cells - 1) + 5 * (2 * Double(cells - 1)).squareRoot(), "mean \(mean): χ² \(chiSquare) over \(cells) cells")
        }
        var random = SeededRandom(seed: 1)
        XCTAssertNil(Ziggurat.poisson(30, &random))
        XCTAssertEqual(Ziggurat.poisson(0, &random), 0)
    }
}
