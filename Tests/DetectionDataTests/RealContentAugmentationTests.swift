import Bayer
import DetectionData
import Support
import XCTest

/// Scale, padding and photometric augmentation: the CFA phase, boxes and the noise model hold.
final class RealContentAugmentationTests: XCTestCase {
    /// A mosaic whose value depends on the colour and smoothly on the position: R 1000 + x, G 2000, B 3000 + y.
    static func ramp(_ cfa: CFAPattern, width: Int = 64, height: Int = 48) -> BayerImage {
        var pixels = [UInt16](repeating: 0, count: width * height)
        for r in 0..<height {
            for c in 0..<width {
                switch cfa.color(row: r, column: c) {
                case .red: pixels[r * width + c] = UInt16(1000 + c)
                case .green: pixels[r * width + c] = 2000
                case .blue: pixels[r * width + c] = UInt16(3000 + r)
                }
            }
        }
        return BayerImage(width: width, height: height, pixels: pixels, cfa: cfa, blackLevels: [64, 64, 64, 64], whiteLevel: 16383)
    }

    func testResamplingKeepsEachColourOnItsSites() {
        for cfa in CFAPattern.all {
            let image = Self.ramp(cfa)
            for (w, h) in [(32, 24), (96, 72), (64, 48)] {
                let out = image.resampled(width: w, height: h)
                XCTAssertEqual(out.cfa, cfa)
                for r in 0..<h {
                    for c in 0..<w {
                        let v = Int(out[r, c])
                        switch cfa.color(row: r, column: c) {
                        case .green: XCTAssertEqual(v, 2000)
                        case .red: XCTAssertTrue((1000...1063).contains(v), "\(v)")
                        case .blue: XCTAssertTrue((3000...3047).contains(v), "\(v)")
                        }
                    }
                }
            }
            XCTAssertEqual(image.resampled(width: 64, height: 48).pixels, image.pixels)  // the identity
        }
    }

    func testPaddingIsBlack() {
        let image = Self.ramp(.gbrg, width: 20, height: 10)
        let out = image.padded(width: 32, height: 16)
        XCTAssertEqual(out[3, 5], image[3, 5])
        XCTAssertEqual(out[12, 25], 64)
        XCTAssertEqual(out.cfa, .gbrg)
    }

    /// Scale then crop: boxes follow the scale and every sample has the crop's size (small images padded).
    func testScaleAndCropGiveCropSizedSamplesWithScaledBoxes() {
        let image = Self.ramp(.rggb, width: 64, height: 48)
        let object = GroundTruthObject(className: "person", box: BoundingBox(xmin: 11, ymin: 11, xmax: 30, ymax: 40))
        let options = AugmentationOptions(cropWidth: 64, cropHeight: 64, scaleRange: 0.5...1.5)
        for seed in 0..<20 {
            var random = SeededRandom(seed: UInt64(seed))
            let (out, objects) = options.apply(image, objects: [object], random: &random)
            XCTAssertEqual([out.width, out.height], [64, 64])
            XCTAssertEqual(out.cfa.colors.filter { $0 == .green }.count, 2)
            if let box = objects.first?.box { XCTAssertGreaterThan(box.width, 0) }
        }
    }

    /// Re-exposure with no noise scales x̂ exactly; with noise the variance of a flat patch follows the model.
    func testPhotometricExposureAndNoise() {
        let flat = BayerImage(width: 128, height: 128, pixels: [UInt16](repeating: 8256, count: 128 * 128), cfa: .rggb,
                              blackLevels: [64, 64, 64, 64], whiteLevel: 16448)
        var quiet = PhotometricAugmentation(exposureRange: 0.5...0.5, isoRange: 100...100, gainJitter: 0,
                                            noise: SensorNoiseProfile(fullWellElectrons: 1e12, readNoiseElectrons: 0, postGainNoise: 0))
        var random = SeededRandom(seed: 1)
        XCTAssertTrue(quiet.apply(flat, random: &random).pixels.allSatisfy { $0 == 4160 })  // 64 + 0.5 · 8192
        quiet.noise = SensorNoiseProfile(fullWellElectrons: 20_000, readNoiseElectrons: 5, postGainNoise: 1e-4)
        quiet.isoRange = 800...800
        let noisy = quiet.apply(flat, random: &random)
        let values = noisy.pixels.map { (Double($0) - 64) / 16384 }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        let model = PoissonGaussianNoise(profile: quiet.noise, iso: 800)
        XCTAssertEqual(mean, 0.25, accuracy: 0.002)
        XCTAssertEqual(variance, model.a * 0.25 + model.b, accuracy: 0.05 * (model.a * 0.25 + model.b))
        XCTAssertEqual(noisy.metadata.isoSpeed ?? 0, 800, accuracy: 1e-9)
    }

    func testPhotometricDrawsAreSeeded() {
        let image = Self.ramp(.bggr)
        let options = AugmentationOptions(photometric: PhotometricAugmentation())
        var a = SeededRandom(seed: 9), b = SeededRandom(seed: 9), c = SeededRandom(seed: 10)
        let one = options.apply(image, objects: [], random: &a).0.pixels
        XCTAssertEqual(one, options.apply(image, objects: [], random: &b).0.pixels)
        XCTAssertNotEqual(one, options.apply(image, objects: [], random: &c).0.pixels)
    }
}
