import Support
import RawIO
import SensorSimulation
import XCTest

final class SensorModelTests: XCTestCase {
    func testMeanAndNoiseFollowTheModel() {
        let sensor = SensorModel(adcBits: 12, blackLevel: 256, gainElectronsPerDN: 4, readNoiseDN: 3)
        var random = SeededRandom(seed: 9)
        for irradiance in [0.0, 0.01, 0.1, 0.5] as [Float] {
            let count = 64 * 64
            let image = sensor.capture(irradiance: [Float](repeating: irradiance, count: count), width: 64, height: 64,
                                       cfa: .rggb, random: &random)
            let values = image.pixels.map(Double.init)
            let mean = values.reduce(0, +) / Double(count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count - 1)
            let signal = Double(irradiance) * 3839
            XCTAssertEqual(mean, 256 + signal, accuracy: 0.5 + 4 * (variance / Double(count)).squareRoot(), "e = \(irradiance)")
            // Variance = shot (signal/g) + read σ² + ADC rounding 1/12; within 10 % for 4096 samples.
            let expected = signal / 4 + 9 + 1.0 / 12
            XCTAssertEqual(variance, expected, accuracy: 0.1 * expected, "e = \(irradiance)")
        }
    }

    func testSaturationClipsAtWhiteAndDarkNeverGoesBelowZero() {
        let sensor = SensorModel(adcBits: 14, blackLevel: 0, readNoiseDN: 20)
        var random = SeededRandom(seed: 1)
        let image = sensor.capture(irradiance: [5, 1e6, 0, 0], width: 2, height: 2, cfa: .bggr, random: &random)
        XCTAssertEqual(image.pixels[0], 16383)
        XCTAssertEqual(image.pixels[1], 16383)
        XCTAssertEqual(image.whiteLevel, 16383)
        XCTAssertTrue(image.pixels[2] < 100 && image.pixels[3] < 100)
    }

    func testSameSeedSameBits() {
        let sensor = SensorModel()
        var a = SeededRandom(seed: 42), b = SeededRandom(seed: 42)
        let irradiance = (0..<100).map { Float($0) / 100 }
        XCTAssertEqual(sensor.capture(irradiance: irradiance, width: 10, height: 10, cfa: .rggb, random: &a).pixels,
                       sensor.capture(irradiance: irradiance, width: 10, height: 10, cfa: .rggb, random: &b).pixels)
    }
}
