import Bayer
import ISP
import Quantization
import XCTest

/// The ISP's stages one by one, against their formulas.
final class ISPStageTests: XCTestCase {
    func testSRGBCurveIsTheStandardAndItsTableRoundsIt() {
        XCTAssertEqual(SRGB.encode(Float(0)), 0)
        XCTAssertEqual(SRGB.encode(Float(1)), 1, accuracy: 1e-6)
        XCTAssertEqual(SRGB.encode(Float(0.002)), 12.92 * 0.002, accuracy: 1e-7)
        for i in stride(from: 0, through: 4096, by: 7) {
            let x = Double(i) / 4096
            XCTAssertEqual(SRGB.decode(SRGB.encode(x, pow: Foundation.pow)), x, accuracy: 1e-12)
            XCTAssertEqual(Int(SRGB.table8[i]), Int((SRGB.encode(x, pow: Foundation.pow) * 255).rounded()))
        }
        XCTAssertEqual(SRGB.encode8(-1), 0)
        XCTAssertEqual(SRGB.encode8(2), 255)
        XCTAssertEqual(SRGB.encode8(.nan), SRGB.table8[0], "NaN clips like 0")
    }

    func testWhiteBalanceGainsAreRelativeToGreenAndIdentityWithoutMultipliers() {
        XCTAssertEqual(WhiteBalance.gains(RawMetadata(whiteBalance: [2, 1.25, 1.5, 1.25])), SIMD3(1.6, 1, 1.2))
        XCTAssertEqual(WhiteBalance.gains(RawMetadata()), SIMD3(repeating: 1))
        XCTAssertEqual(WhiteBalance.gains(RawMetadata(whiteBalance: [2, 0, 1])), SIMD3(repeating: 1))
        XCTAssertEqual(WhiteBalance.apply(SIMD3(2, 1, 3), to: SIMD3(0.25, 0.5, 0.1)), SIMD3(0.5, 0.5, 0.3 as Float))
    }

    func testColorMatrixFallsBackToIdentityAndMultipliesRows() {
        XCTAssertEqual(ColorMatrix.cameraToSRGB(RawMetadata()), ColorMatrix.identity)
        XCTAssertEqual(ColorMatrix.cameraToSRGB(RawMetadata(cameraToSRGB: [1, 2, 3, 4, .nan, 6, 7, 8, 9])), ColorMatrix.identity)
        let m: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        XCTAssertEqual(ColorMatrix.apply(m, row: 1, to: SIMD3(1, 0.5, 0.25)), 4 + 2.5 + 1.5)
    }

    func testAutoExposurePercentileAndGain() {
        // 100 green pixels at x̂ = k/100, k = 0…99: the 99th percentile is bin ⌊0.98·4096⌋ + 1.
        let width = 20, height = 10
        var greens: [Float] = []
        let value: (Int, Int) -> Float = { row, column in
            let g = Float(row * width + column) / 2
            return g / 100
        }
        for row in 0..<height { for column in 0..<width where CFAPattern.rggb.color(row: row, column: column) == .green {
            greens.append(value(row, column))
        } }
        let p = AutoExposure.greenPercentile99(width: width, height: height, cfa: .rggb, value)
        let sorted = greens.sorted(), k = Int((0.99 * Double(sorted.count)).rounded(.up)) - 1
        XCTAssertEqual(p, Float(Int(min(max(sorted[k], 0), 1) * 4096) + 1) / 4096)
        XCTAssertEqual(AutoExposure.gain(greenPercentile99: 0.45), 2)
        XCTAssertEqual(AutoExposure.gain(greenPercentile99: 0), 64)
        XCTAssertEqual(AutoExposure.gain(greenPercentile99: 1), 1)
    }

    func testBilinearDemosaicOfAFlatMosaicIsFlatAndKeepsEachPixelsOwnValue() {
        for cfa in CFAPattern.all {
            let level: [CFAColor: Float] = [.red: 0.2, .green: 0.5, .blue: 0.7]
            let value: (Int, Int) -> Float = { level[cfa.color(row: $0, column: $1)]! }
            for (row, column) in [(0, 0), (3, 4), (5, 7)] {
                XCTAssertEqual(Demosaic.bilinear(row: row, column: column, width: 8, height: 6, cfa: cfa, value), SIMD3(0.2, 0.5, 0.7))
            }
        }
        XCTAssertEqual(Demosaic.superpixel(red: 0.1, greenInRedRow: 0.4, greenInBlueRow: 0.6, blue: 0.9), SIMD3(0.1, 0.5, 0.9))
    }

    func testBoxDownscaleIsTheRoundedBlockMean() {
        let width = 7, height = 5, f = 3
        let source: (Int, Int, Int) -> UInt8 = { UInt8(($0 * 31 + $1 * 17 + $2 * 5) % 256) }
        var box = BoxDownscale(factor: f, width: width, height: height)
        XCTAssertEqual([box.outputWidth, box.outputHeight], [3, 2])
        XCTAssertEqual(BoxDownscale.factor(width: 4000, height: 3000, maxSide: 1024), 4)
        XCTAssertEqual(BoxDownscale.factor(width: 4000, height: 3000, maxSide: nil), 1)
        var out = [UInt8](repeating: 0, count: box.outputWidth * 3)
        for outRow in 0..<box.outputHeight {
            out.withUnsafeMutableBufferPointer { buffer in
                box.row(outRow, into: buffer) { row, rendered in
                    for c in 0..<width { for k in 0..<3 { rendered[3 * c + k] = source(row, c, k) } }
                }
            }
            for column in 0..<box.outputWidth {
                for k in 0..<3 {
                    var sum = 0, count = 0
                    for r in (outRow * f)..<min(height, outRow * f + f) {
                        for c in (column * f)..<min(width, column * f + f) { sum += Int(source(r, c, k)); count += 1 }
                    }
                    XCTAssertEqual(Int(out[3 * column + k]), (sum + count / 2) / count)
                }
            }
        }
    }

    func testPreviewRowsAtFactorOneAreTheRenderedImage() {
        let width = 6, height = 4
        let pixels = (0..<(width * height)).map { UInt16(200 + ($0 * 97) % 3800) }
        let image = BayerImage(width: width, height: height, pixels: pixels, cfa: .grbg, blackLevels: [200, 200, 200, 200],
                               whiteLevel: 4095, metadata: RawMetadata(whiteBalance: [2, 1, 1.5, 1]))
        let isp = ReferenceISP(image: image)
        let full = isp.render(), rows = isp.rows(downscale: 1)
        XCTAssertEqual([rows.width, rows.height], [width, height])
        var row = [UInt8](repeating: 0, count: width * 3)
        for r in 0..<height {
            row.withUnsafeMutableBufferPointer { rows.fill(r, $0) }
            XCTAssertEqual(row, Array(full.pixels[(r * width * 3)..<((r + 1) * width * 3)]))
        }
    }
}
