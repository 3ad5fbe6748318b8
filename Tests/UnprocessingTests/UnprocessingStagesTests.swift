import Bayer
import Foundation
import ISP
import RawIO
import Support
import TestSupport
import XCTest
import Unprocessing

final class UnprocessingStagesTests: XCTestCase {
    func testToneCurveInverseUndoesTheCurve() {
        for i in 0...1000 {
            let x = Double(i) / 1000
            XCTAssertEqual(ToneCurve.invert(ToneCurve.apply(x)), x, accuracy: 1e-12)
            XCTAssertEqual(ToneCurve.apply(ToneCurve.invert(x)), x, accuracy: 1e-12)
        }
        XCTAssertEqual(ToneCurve.apply(0.5), 0.5)
        XCTAssertLessThan(ToneCurve.apply(0.25), 0.25)  // an S-curve: darker shadows, brighter highlights
    }

    func testLinearizeIsTheInverseOfSRGBThenTone() {
        for code in 0...255 {
            let linear = Unprocessor.linearize(UInt8(code))
            XCTAssertEqual(ToneCurve.apply(SRGB.encode(linear, pow: { Foundation.pow($0, $1) })) * 255, Double(code), accuracy: 1e-9)
        }
    }

    func testMatrixInverse() throws {
        let m = CameraProfile.canonEOS30D.cameraToSRGB
        let inverse = try XCTUnwrap(ColorMatrix.inverse(m))
        let product = ColorMatrix.multiply(m, inverse)
        for i in 0..<9 { XCTAssertEqual(product[i], i % 4 == 0 ? 1 : 0, accuracy: 1e-12) }
        XCTAssertNil(ColorMatrix.inverse([1, 2, 3, 2, 4, 6, 0, 0, 1]))
        XCTAssertNil(ColorMatrix.inverse([1, 0, 0, 0, .nan, 0, 0, 0, 1]))
    }

    /// The bundled profile is what LibRaw reads from the bundled CR2 (Tools/make-bundled-camera.sh wrote it).
    func testBundledCameraIsTheFixturesCamera() throws {
        let image = try RawDecoder.decode(path: Fixtures.path("IMG_5952.CR2"))
        var profile = CameraProfile(image: image, name: "IMG_5952.CR2")
        profile.source = CameraProfile.canonEOS30D.source
        XCTAssertEqual(profile, CameraProfile.canonEOS30D)
        XCTAssertEqual(profile.whiteBalanceSource, .asShot)
    }

    /// The daylight colour computed from the XYZ matrix reproduces LibRaw's own `rgb_cam` (cam_xyz_coeff).
    func testDaylightColourMatchesLibRaw() throws {
        let camera = CameraProfile.canonEOS30D
        let daylight = try XCTUnwrap(CameraProfile.daylightColor(try XCTUnwrap(camera.colorMatrix)))
        for i in 0..<9 { XCTAssertEqual(daylight.cameraToSRGB[i], camera.cameraToSRGB[i], accuracy: 1e-4) }  // LibRaw works in Float
        XCTAssertEqual(daylight.multipliers[1], 1)
        XCTAssertGreaterThan(daylight.multipliers[0], 1)  // red needs more gain than green in daylight
    }

    func testADCDepthChangeScalesBlackAndWhite() {
        let camera = CameraProfile.canonEOS30D.withADCBits(14)
        XCTAssertEqual(camera.whiteLevel, 16383)
        XCTAssertEqual(camera.blackLevels, [512, 512, 508, 512])
        XCTAssertEqual(CameraProfile.canonEOS30D.withADCBits(12), CameraProfile.canonEOS30D)
    }

    /// The fused mosaic is the staged pipeline's: linear camera RGB, the CFA's channel, then the ADC.
    func testFusedMosaicEqualsTheStages() throws {
        let photo = TestPhotos.gradient(width: 64, height: 48)
        for pattern in CFAPattern.all {
            let camera = CameraProfile.canonEOS30D.withADCBits(14)
            var draw = TestPhotos.noiseless(camera, exposure: 0.7)
            draw.cfa = pattern.name
            var random = SeededRandom(seed: 1)
            let mosaic = try Unprocessor.mosaic(photo, camera: camera, draw: draw, random: &random)
            let linear = try Unprocessor.linearCamera(photo, camera: camera, draw: draw)
            XCTAssertEqual(mosaic.cfa, pattern)
            for row in 0..<48 {
                for column in 0..<64 {
                    let p = pattern.position(row: row, column: column)
                    let expected = Unprocessor.adc(linear[3 * (row * 64 + column) + pattern.colors[p].rawValue], black: mosaic.blackLevels[p], white: 16383)
                    XCTAssertEqual(mosaic[row, column], expected)
                }
            }
            // Blacks follow the colour: the 30D's second green (127 → 508 at 14 bits) stays on the second green.
            XCTAssertEqual(mosaic.blackLevels[pattern.colors.lastIndex(of: .green)!], 508)
            XCTAssertEqual(mosaic.blackLevels.sorted(), [508, 512, 512, 512])
        }
    }

    /// Unprocess without noise, then the forward stages with the same camera and gains: the photo again.
    func testRoundTripReproducesThePhoto() throws {
        let photo = TestPhotos.gradient(width: 96, height: 64)
        for bits in [12, 14] {
            let camera = CameraProfile.canonEOS30D.withADCBits(bits)
            let psnr = try Self.roundTripPSNR(photo, camera: camera)
            print("round trip on a 96×64 gradient, \(bits)-bit: \(psnr)")
            XCTAssertGreaterThanOrEqual(psnr.value, bits == 14 ? 50 : 45, "\(bits)-bit: \(psnr)")
            XCTAssertGreaterThan(psnr.kept, 0.9)
        }
    }

    /// The bundled CR2's own rendering (a 512×512 crop through the preview ISP), inverted and re-rendered.
    func testRoundTripOnTheBundledScene() throws {
        let image = try RawDecoder.decode(path: Fixtures.path("IMG_5952.CR2")).cropped(x: 1500, y: 900, width: 512, height: 512)
        let rendering = ReferenceISP(image: image).render()
        let psnr = try Self.roundTripPSNR(rendering, camera: CameraProfile.canonEOS30D)
        let mean = Double(rendering.pixels.reduce(0) { $0 + Int($1) }) / Double(rendering.pixels.count)
        print("round trip on the bundled scene (512×512 crop of IMG_5952.CR2's rendering, mean code \(mean), 12-bit): \(psnr)")
        XCTAssertGreaterThan(mean, 40)
        XCTAssertGreaterThanOrEqual(psnr.value, 40)
    }

    /// The PSNR of the photo re-rendered from its noiseless linear camera values quantized by the ADC,
    /// over the pixels none of whose channels unprocessing clipped; and the fraction of such pixels.
    static func roundTripPSNR(_ photo: RGBImage, camera: CameraProfile) throws -> (value: Double, kept: Double) {
        let draw = TestPhotos.noiseless(camera)
        let k = try XCTUnwrap(Unprocessor.cameraCoefficients(camera: camera, draw: draw))
        let linear = try Unprocessor.linearCamera(photo, camera: camera, draw: draw)
        var rendered = [UInt8](repeating: 0, count: photo.pixels.count)
        var clipped = [Bool](repeating: false, count: photo.width * photo.height)
        let black = camera.blackLevels[0], white = camera.whiteLevel
        for i in 0..<(photo.width * photo.height) {
            let rgb = (0..<3).map { Double(Unprocessor.linearTable[Int(photo.pixels[3 * i + $0])]) }
            var camera3 = SIMD3<Double>()
            for c in 0..<3 {
                let raw = k[3 * c] * rgb[0] + k[3 * c + 1] * rgb[1] + k[3 * c + 2] * rgb[2]
                if raw < 0 || raw > 1 { clipped[i] = true }
                let code = Unprocessor.adc(linear[3 * i + c], black: black, white: white)
                camera3[c] = normalizedADC(Int(code), black: black, white: white).asDouble
            }
            let out = PhotoFinishing.render(camera3, profile: camera, draw: draw)
            for c in 0..<3 { rendered[3 * i + c] = out[c] }
        }
        let back = RGBImage(width: photo.width, height: photo.height, pixels: rendered)
        let kept = Double(clipped.filter { !$0 }.count) / Double(clipped.count)
        return (TestPhotos.psnr(back, photo) { !clipped[$0] }, kept)
    }

    /// With mosaicking the forward pipeline must demosaic: bilinear interpolation bounds the PSNR well below
    /// the per-pixel round trip (a measure, not a target).
    func testDemosaicedRoundTripIsBoundedByInterpolation() throws {
        let photo = TestPhotos.gradient(width: 96, height: 64)
        let camera = CameraProfile.canonEOS30D
        let draw = TestPhotos.noiseless(camera)
        var random = SeededRandom(seed: 1)
        let mosaic = try Unprocessor.mosaic(photo, camera: camera, draw: draw, random: &random)
        let back = PhotoFinishing.render(mosaic, profile: camera, draw: draw)
        let psnr = TestPhotos.psnr(back, photo)
        print("demosaiced round trip (bilinear) on a 96×64 gradient: \(String(format: "%.1f", psnr)) dB")
        XCTAssertGreaterThan(psnr, 25)
    }

    func testEvenCropAndResize() {
        let photo = TestPhotos.gradient(width: 33, height: 21)
        let even = PhotoGeometry.evenCropped(photo)
        XCTAssertEqual([even.width, even.height], [32, 20])
        XCTAssertEqual(Array(even.pixels[0..<96]), Array(photo.pixels[0..<96]))
        XCTAssertEqual(Array(even.pixels[96..<192]), Array(photo.pixels[99..<195]))
        // Area averaging by 2 of a flat photo keeps it flat; a scale of 1 is the identity.
        let flat = TestPhotos.flat(width: 40, height: 30, 123)
        let half = PhotoGeometry.resized(flat, width: 20, height: 16)
        XCTAssertTrue(half.pixels.allSatisfy { $0 == 123 })
        XCTAssertEqual(PhotoGeometry.scaledSize(width: 641, height: 427, scale: 0.5).width, 320)
        XCTAssertEqual(PhotoGeometry.scaledSize(width: 641, height: 427, scale: 1).width, 641)
        for (source, target) in [(10, 4), (7, 3), (4, 10)] {
            for w in PhotoGeometry.weights(source: source, target: target) { XCTAssertEqual(w.reduce(0) { $0 + $1.1 }, 1, accuracy: 1e-12) }
        }
    }
}

private extension Float {
    var asDouble: Double { Double(self) }
}

/// Each stage against its forward counterpart, and the fused pipeline against the stages.
final class UnprocessStagesTests: XCTestCase {
    let camera = CameraProfile.canonEOS30D
    let image: [SIMD3<Double>] = (0..<50).map { (i: Int) -> SIMD3<Double> in
        let p = SIMD3<Double>(Double(i), Double((i * 7) % 50), Double((i * 13) % 50)) / 49
        return p * 0.9 + SIMD3(repeating: 0.05)
    }

    func testEachStageInvertsItsForwardStage() throws {
        for (a, b) in zip(UnprocessStages.inverseToneCurve(image), image) {
            for k in 0..<3 { XCTAssertEqual(ToneCurve.apply(a[k]), b[k], accuracy: 1e-12) }
        }
        for (a, b) in zip(UnprocessStages.inverseSRGB(image), image) {
            for k in 0..<3 { XCTAssertEqual(SRGB.encode(a[k], pow: { Foundation.pow($0, $1) }), b[k], accuracy: 1e-12) }
        }
        let m = camera.cameraToSRGB
        for (a, b) in zip(try UnprocessStages.inverseColorMatrix(image, camera: camera), image) {
            for k in 0..<3 { XCTAssertEqual(m[3 * k] * a[0] + m[3 * k + 1] * a[1] + m[3 * k + 2] * a[2], b[k], accuracy: 1e-12) }
        }
        let gains = [2.1, 1, 1.4]
        for (a, b) in zip(UnprocessStages.inverseWhiteBalance(image, gains: gains), image) {
            for k in 0..<3 { XCTAssertEqual(a[k] * gains[k], b[k], accuracy: 1e-15) }
        }
        XCTAssertEqual(UnprocessStages.scaleExposure(image, by: 0.25).map { $0 * 4 }, image)
        let mosaic = UnprocessStages.mosaic(image, width: 10, cfa: .grbg)
        XCTAssertEqual(mosaic[0], image[0][1])   // G at (0,0)
        XCTAssertEqual(mosaic[1], image[1][0])   // R at (0,1)
        XCTAssertEqual(mosaic[10], image[10][2]) // B at (1,0)
        XCTAssertEqual(UnprocessStages.mosaic([SIMD3(-0.2, -0.1, -0.3)], width: 1, cfa: .rggb), [0])
        XCTAssertEqual(UnprocessStages.quantize([0, 0.5, 1, 1.2, -0.1], width: 5, blackLevels: [100, 100, 100, 100], white: 4095),
                       [100, 2098, 4095, 4095, 0])
    }

    /// The fused Float32 pipeline equals the Double stages: within one ADC code everywhere, identical almost
    /// everywhere (codes at a rounding boundary may differ), with and without noise (the same draws in the same order).
    func testFusedPipelineEqualsTheStages() throws {
        let photo = TestPhotos.gradient(width: 128, height: 96)
        for noisy in [false, true] {
            var draw = UnprocessedDataset.draw(id: "x", options: UnprocessOptions(cameras: [camera]))
            if !noisy { draw.noise = .none }
            var r1 = SeededRandom(seed: 4), r2 = SeededRandom(seed: 4)
            let fused = try Unprocessor.mosaic(photo, camera: camera, draw: draw, random: &r1).pixels
            let staged = try UnprocessStages.run(photo, camera: camera, draw: draw, random: &r2)
            let differing = zip(fused, staged).filter { $0 != $1 }
            XCTAssertTrue(differing.allSatisfy { abs(Int($0.0) - Int($0.1)) <= 1 }, "noise \(noisy)")
            XCTAssertLessThan(Double(differing.count) / Double(fused.count), 0.01, "noise \(noisy): \(differing.count) differ")
        }
    }
}
