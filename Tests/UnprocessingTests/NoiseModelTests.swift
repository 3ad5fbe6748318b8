import Bayer
import Support
import XCTest
import Unprocessing

final class NoiseModelTests: XCTestCase {
    func testParametersFollowISO() {
        let profile = SensorNoiseProfile(fullWellElectrons: 20_000, baseISO: 100, readNoiseElectrons: 4, postGainNoise: 1e-4)
        let base = PoissonGaussianNoise(profile: profile, iso: 100), high = PoissonGaussianNoise(profile: profile, iso: 1600)
        XCTAssertEqual(base.a, 1 / 20_000, accuracy: 1e-15)
        XCTAssertEqual(high.a, 16 / 20_000, accuracy: 1e-15)
        XCTAssertEqual(base.b, (4.0 / 20_000) * (4.0 / 20_000) + 1e-8, accuracy: 1e-15)
        XCTAssertEqual(high.b, (64.0 / 20_000) * (64.0 / 20_000) + 1e-8, accuracy: 1e-15)
    }

    /// Flat grey photos through the whole pipeline at ISO 3200: the measured variance of the green
    /// mosaic values against their mean is the model's line a·x + b (least-squares fit within 5 % and 10 %).
    func testVarianceAgainstMeanIsTheModelsLine() throws {
        var camera = CameraProfile.canonEOS30D.withADCBits(14)
        camera.noise = SensorNoiseProfile(fullWellElectrons: 25_000, baseISO: 100, readNoiseElectrons: 6, postGainNoise: 2e-4)
        let noise = PoissonGaussianNoise(profile: camera.noise, iso: 3200)
        var means: [Double] = [], variances: [Double] = []
        for (level, code) in [30, 60, 90, 120, 160, 200, 230].enumerated() {
            var draw = TestPhotos.noiseless(camera, exposure: 0.5)
            draw.noise = noise
            var random = SeededRandom.stream(seed: 7, index: UInt64(level))
            let mosaic = try Unprocessor.mosaic(TestPhotos.flat(width: 256, height: 256, UInt8(code)), camera: camera, draw: draw, random: &random)
            var values: [Double] = []
            for row in 0..<256 {
                for column in 0..<256 where mosaic.cfa.color(row: row, column: column) == .green {
                    let p = mosaic.cfa.position(row: row, column: column)
                    values.append(Double(Int(mosaic[row, column]) - mosaic.blackLevels[p]) / Double(mosaic.whiteLevel - mosaic.blackLevels[p]))
                }
            }
            let mean = values.reduce(0, +) / Double(values.count)
            means.append(mean)
            variances.append(values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1))
        }
        // Least-squares line through (mean, variance); ADC rounding adds step²/12 to b.
        let n = Double(means.count), mx = means.reduce(0, +) / n, my = variances.reduce(0, +) / n
        let slope = zip(means, variances).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / means.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let intercept = my - slope * mx
        let step = 1 / Double(camera.whiteLevel - camera.blackLevels[1])
        print("noise line: a = \(slope) (model \(noise.a)), b = \(intercept) (model \(noise.b) + rounding \(step * step / 12))")
        XCTAssertEqual(slope, noise.a, accuracy: 0.05 * noise.a)
        XCTAssertEqual(intercept, noise.b + step * step / 12, accuracy: 0.1 * noise.b)
    }

    /// Below 30 electrons the shot noise is an exact Poisson count: variance equals mean in electrons.
    func testLowLightShotNoiseIsPoisson() {
        let noise = PoissonGaussianNoise(a: 1.0 / 1000, b: 0)
        var random = SeededRandom(seed: 3)
        let x: Float = 0.005  // 5 electrons
        let electrons = (0..<200_000).map { _ in Double(noise.sample(x, random: &random)) * 1000 }
        let mean = electrons.reduce(0, +) / Double(electrons.count)
        let variance = electrons.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(electrons.count - 1)
        XCTAssertEqual(mean, 5, accuracy: 0.03)
        XCTAssertEqual(variance, 5, accuracy: 0.1)
        XCTAssertTrue(electrons.allSatisfy { abs($0 - $0.rounded()) < 1e-3 })  // whole electrons
    }

    func testNoiselessModelChangesNothing() {
        var random = SeededRandom(seed: 1)
        XCTAssertEqual(PoissonGaussianNoise.none.sample(0.25, random: &random), 0.25)
    }
}

final class MeasuredNoiseTests: XCTestCase {
    /// A camera whose masked pixels measured σ at ISO s: the model at ISO s has exactly that dark noise.
    func testMeasuredDarkNoiseIsTheModelsAtThatISO() {
        for (sigma, iso) in [(0.0005, 640.0), (0.0003, 100), (0.00005, 1600)] {
            let profile = SensorNoiseProfile(measuredDarkNoise: sigma, atISO: iso)
            XCTAssertEqual(PoissonGaussianNoise(profile: profile, iso: iso).b.squareRoot(), sigma, accuracy: 1e-12)
            XCTAssertEqual(profile.measuredAtISO, iso)
        }
        XCTAssertEqual(SensorNoiseProfile(measuredDarkNoise: nil, atISO: 100), SensorNoiseProfile())
        XCTAssertEqual(SensorNoiseProfile(measuredDarkNoise: 0.001, atISO: nil), SensorNoiseProfile())
    }
}
