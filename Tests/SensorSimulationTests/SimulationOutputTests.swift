import Foundation
import Quantization
import RawIO
import SensorSimulation
import ISP
import TestSupport
import XCTest

/// `simulate`'s three outputs for every quantizer and N = 1...8, checked through independent readers.
final class SimulationOutputTests: XCTestCase {
    static func specs(bits: Int) throws -> [QuantizerSpec] {
        [try .linear(bits: bits), try .log(bits: bits), try .gamma([0.3], bits: bits), try .gamma([0.25, 0.4, 0.6], bits: bits)]
    }

    func testOutputsRoundTripForEveryQuantizerAndBitWidth() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for fixture in ["synthetic_bggr_14bit.dng", "synthetic_grbg_12bit.dng"] {
            let input = Fixtures.path("generated/\(fixture)")
            let source = try RawDecoder.decode(path: input)
            for bits in 1...8 {
                for spec in try Self.specs(bits: bits) {
                    var options = SimulateOptions(quantizer: spec, outputDirectory: directory)
                    options.writePreview = bits == 4
                    let report = try SimulationJob.run(path: input, options: options)
                    let expected = try SensorSimulator.simulate(source, spec: spec)
                    let label = "\(fixture) \(spec.summary)"

                    // .rqm: the packed codes and tables read back exactly.
                    let rqm = try PackedMosaicFile.read(path: report.outputs["rqm"]!)
                    XCTAssertEqual(rqm, expected.mosaic, label)
                    XCTAssertEqual(rqm.payload.count, (source.pixels.count * bits + 7) / 8, label)

                    // .dng: LibRaw applies the LinearizationTable; it must return the decoder tables applied to the codes.
                    let dng = try RawDecoder.decode(path: report.outputs["dng"]!)
                    XCTAssertEqual(dng.cfa, source.cfa, label)
                    XCTAssertEqual(dng.blackLevels, source.blackLevels, label)
                    XCTAssertEqual(dng.whiteLevel, source.whiteLevel, label)
                    let codes = rqm.codes()
                    let tables = rqm.decodeTables.map { $0.map { UInt16(clamping: Int($0.rounded())) } }
                    let dequantized = (0..<codes.count).map { i -> UInt16 in
                        let p = (i / source.width & 1) << 1 | (i % source.width & 1)
                        return min(tables[p][Int(codes[i])], UInt16(source.whiteLevel))
                    }
                    XCTAssertEqual(dng.pixels, dequantized, label)
                    // One byte per sample whenever the samples fit (one table, or four of ≤ 64 codes).
                    let dngBytes = try FileManager.default.attributesOfItem(atPath: report.outputs["dng"]!)[.size] as! Int
                    let oneByte = QuantizedDNG.linearization(for: rqm).table.count <= 256
                    if bits <= 6 { XCTAssertTrue(oneByte, label) }
                    XCTAssertLessThan(dngBytes, source.pixels.count * (oneByte ? 1 : 2) + 16384, label)

                    if bits == 4 {
                        let jpeg = try JPEGFile.decode(path: report.outputs["jpg"]!)
                        XCTAssertEqual(jpeg.width, source.width, label)
                        XCTAssertEqual(jpeg.height, source.height, label)
                    }
                    XCTAssertEqual(report.bits, bits)
                    XCTAssertEqual(report.payloadBytes, rqm.payload.count)
                }
            }
        }
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: directory).contains { $0.hasPrefix(".") },
                       "no temporary files are left behind")
    }

    func testDownscaledPreviewIsTheBoxMeanOfTheFullPreview() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = Fixtures.path("generated/synthetic_bggr_14bit.dng")
        let spec = try QuantizerSpec.gamma([0.3], bits: 4)
        var options = SimulateOptions(quantizer: spec, outputDirectory: directory)
        options.previewMaxSide = 20
        options.jpegQuality = 100
        let report = try SimulationJob.run(path: input, options: options)
        let source = try RawDecoder.decode(path: input)
        let simulated = try SensorSimulator.simulate(source, spec: spec)
        let isp = ReferenceISP(mosaic: simulated.mosaic, codes: simulated.mosaic.codes(), metadata: source.metadata)
        let f = isp.downscaleFactor(maxSide: 20)
        XCTAssertGreaterThan(f, 1)
        XCTAssertLessThanOrEqual(max((source.width + f - 1) / f, (source.height + f - 1) / f), 20)
        let full = isp.render(), preview = try JPEGFile.decode(path: report.outputs["jpg"]!)
        XCTAssertEqual(preview.width, (source.width + f - 1) / f)
        XCTAssertEqual(preview.height, (source.height + f - 1) / f)
        // Compare luma (JPEG subsamples chroma, so single channels move more at colour edges).
        func luma(_ p: [Double]) -> Double { 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2] }
        var worst = 0.0
        for row in 0..<preview.height {
            for column in 0..<preview.width {
                var sums = [0.0, 0.0, 0.0], count = 0.0
                for r in (row * f)..<min(source.height, (row + 1) * f) {
                    for c in (column * f)..<min(source.width, (column + 1) * f) {
                        for k in 0..<3 { sums[k] += Double(full.pixels[(r * full.width + c) * 3 + k]) }
                        count += 1
                    }
                }
                let written = (0..<3).map { Double(preview.pixels[(row * preview.width + column) * 3 + $0]) }
                worst = max(worst, abs(luma(sums.map { $0 / count }) - luma(written)))
            }
        }
        XCTAssertLessThan(worst, 4, "box means survive JPEG quality 100 within a few luma levels")
    }

    func testStatisticsMatchABruteForceComputation() throws {
        let source = try RawDecoder.decode(path: Fixtures.path("generated/synthetic_rggb_14bit.dng"))
        let spec = try QuantizerSpec.gamma([0.35, 0.3, 0.5], bits: 3)
        let result = try SensorSimulator.simulate(source, spec: spec)
        let codes = result.mosaic.codes()
        var squaredError = 0.0
        var histograms = [[Int]](repeating: [Int](repeating: 0, count: 8), count: 4)
        var totals = [Int](repeating: 0, count: 8)
        for i in 0..<codes.count {
            let p = (i / source.width & 1) << 1 | (i % source.width & 1)
            let black = Double(source.blackLevels[p]), range = Double(source.whiteLevel) - black
            let x = min(max((Double(source.pixels[i]) - black) / range, 0), 1)
            let decoded = (result.mosaic.decodeTables[p][Int(codes[i])] - black) / range
            squaredError += (decoded - x) * (decoded - x)
            histograms[p][Int(codes[i])] += 1
            totals[Int(codes[i])] += 1
        }
        let mse = squaredError / Double(codes.count)
        XCTAssertEqual(result.statistics.meanSquaredError, mse, accuracy: mse * 1e-9)
        XCTAssertEqual(result.statistics.psnrLinear!, 10 * log10(1 / mse), accuracy: 1e-6)
        XCTAssertEqual(result.statistics.histograms, histograms)
        let entropy = totals.filter { $0 > 0 }.map { Double($0) / Double(codes.count) }.reduce(0) { $0 - $1 * log2($1) }
        XCTAssertEqual(result.statistics.entropyBitsPerPixel, entropy, accuracy: 1e-12)
        XCTAssertLessThanOrEqual(result.statistics.entropyBitsPerPixel, 3)
    }

    func testMoreBitsGiveHigherPSNR() throws {
        let source = try RawDecoder.decode(path: Fixtures.path("generated/synthetic_gbrg_12bit.dng"))
        let psnr = try (1...8).map { try SensorSimulator.simulate(source, spec: .linear(bits: $0)).statistics.psnrLinear! }
        XCTAssertTrue(zip(psnr, psnr.dropFirst()).allSatisfy { $0 < $1 }, "\(psnr)")
        // Linear N-bit quantization of a uniform signal: PSNR ≈ 6.02 N + 10.8 dB.
        XCTAssertEqual(psnr[7], 6.02 * 8 + 10.8, accuracy: 1.5)
    }

    func testCanonCR2SimulatesAtFourBits() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spec = try SimulateOptions.defaultQuantizer(bits: 4)
        let report = try SimulationJob.run(path: Fixtures.path("IMG_5952.CR2"), options: SimulateOptions(quantizer: spec, outputDirectory: directory))
        XCTAssertEqual(report.pixels, 3522 * 2348)
        XCTAssertEqual(report.payloadBytes, 3522 * 2348 / 2)
        XCTAssertEqual(report.bitsPerPixel, 4)
        XCTAssertEqual(report.compressionVsSource, 3)
        XCTAssertGreaterThan(try XCTUnwrap(report.psnrLinear), 30)
        XCTAssertLessThanOrEqual(report.entropyBitsPerPixel, 4)
        XCTAssertEqual(Set(report.histograms.keys), ["R", "G1", "G2", "B"])
        XCTAssertEqual(report.histograms.values.map { $0.reduce(0, +) }.reduce(0, +), report.pixels)
        let dng = try RawDecoder.decode(path: report.outputs["dng"]!)
        XCTAssertEqual(dng.metadata.make, "Canon")
        XCTAssertEqual(dng.metadata.model, "EOS 30D")
        XCTAssertEqual(dng.metadata.isoSpeed, 640)
        XCTAssertEqual(try XCTUnwrap(dng.metadata.exposureTime), 1.0 / 400, accuracy: 1e-6)
        XCTAssertEqual(dng.metadata.aperture, 22)
        let wb = try XCTUnwrap(dng.metadata.whiteBalance), sourceWB = try XCTUnwrap(try RawDecoder.decode(path: Fixtures.path("IMG_5952.CR2")).metadata.whiteBalance)
        XCTAssertEqual(wb[0] / wb[1], sourceWB[0] / sourceWB[1], accuracy: 1e-3)
        XCTAssertEqual(wb[2] / wb[1], sourceWB[2] / sourceWB[1], accuracy: 1e-3)
        let preview = try JPEGFile.decode(path: report.outputs["jpg"]!)
        XCTAssertEqual(preview.width, 3522)
        let mean = preview.pixels.reduce(0.0) { $0 + Double($1) } / Double(preview.pixels.count)
        XCTAssertGreaterThan(mean, 40, "the preview is exposed, not black")
        XCTAssertLessThan(mean, 220, "the preview is not blown out")
    }
}
