import Bayer
import Foundation
import RawIO
import TestSupport
import XCTest

/// The real headerless and PNG mosaics of ../shared/real/raw (PROVENANCE.md there); skipped when absent.
final class RealMosaicTests: XCTestCase {
    private static let real = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/real/raw").path

    private func path(_ name: String) throws -> String {
        let path = "\(Self.real)/\(name)"
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("\(name) of ../shared/real/raw is not beside this checkout (third-party files are never committed); "
                          + "RawFormatTests and MosaicImageFileTests cover the readers on generated files meanwhile")
        }
        return path
    }

    private func decode(_ name: String, _ format: String) throws -> BayerImage {
        try RawDecoder.decode(path: try path(name), options: RawDecodeOptions(rawFormat: try RawFormat(parsing: format)))
    }

    /// The two Nikon crops hold the same samples: within every 2×2 cell the GBRG file's top row is the RGGB file's
    /// right column and its bottom row the left column (a quarter turn of each cell, not a shift of the image —
    /// the files were checked for both). So R and B planes agree, and the greens swap rows: the GBRG file's green in
    /// red rows is the RGGB file's green in blue rows.
    func testTheTwoNikonCropsAreTheSameSamplesInAnotherPhase() throws {
        let rggb = try decode("isp_DSC_1339_768x512_rggb.raw", "768x512,14,RGGB,600,15520")
        let gbrg = try decode("isp_DSC_1339_768x512_gbrg.raw", "768x512,14,GBRG,600,15520")
        XCTAssertEqual([rggb.width, rggb.height, gbrg.width, gbrg.height], [768, 512, 768, 512])
        var cells = 0
        for row in stride(from: 0, to: 512, by: 2) {
            for column in stride(from: 0, to: 768, by: 2) {
                XCTAssertEqual(gbrg[row, column], rggb[row, column + 1])
                XCTAssertEqual(gbrg[row, column + 1], rggb[row + 1, column + 1])
                XCTAssertEqual(gbrg[row + 1, column], rggb[row, column])
                XCTAssertEqual(gbrg[row + 1, column + 1], rggb[row + 1, column])
                cells += 1
            }
        }
        XCTAssertEqual(cells, 256 * 384)
        let a = PlanePacking.pack(rggb), b = PlanePacking.pack(gbrg), plane = 256 * 384
        XCTAssertEqual(b[0..<plane], a[0..<plane], "R")
        XCTAssertEqual(b[(3 * plane)...], a[(3 * plane)...], "B")
        XCTAssertEqual(b[plane..<(2 * plane)], a[(2 * plane)..<(3 * plane)], "GBRG's Gr is RGGB's Gb")
        XCTAssertEqual(b[(2 * plane)..<(3 * plane)], a[plane..<(2 * plane)], "GBRG's Gb is RGGB's Gr")
        // A plain shift of the image by one row or column does not relate them.
        let shifted = (0..<511).flatMap { r in (0..<768).map { c in gbrg[r, c] == rggb[r + 1, c] } }
        XCTAssertLessThan(Double(shifted.filter { $0 }.count) / Double(shifted.count), 0.5)
        // Samples above white (the files hold up to 16383) are clipped to white, none below the black level.
        XCTAssertEqual(rggb.pixels.max(), 15520)
        XCTAssertGreaterThanOrEqual(rggb.pixels.min()!, 600)
    }

    func testTheN900PNGMosaicDecodesWithItsDescription() throws {
        let image = try decode("halide_bayer_small_N900_GRBG_10bit.png", "256x344,10,GRBG,25,1023")
        XCTAssertEqual([image.width, image.height], [256, 344])
        XCTAssertEqual(image.cfa, .grbg)
        XCTAssertEqual(image.blackLevels, [25, 25, 25, 25])
        XCTAssertEqual(image.whiteLevel, 1023)
        XCTAssertLessThanOrEqual(image.pixels.max()!, 1023)
        let png = try PNGFile.decode(path: try path("halide_bayer_small_N900_GRBG_10bit.png"))
        XCTAssertEqual([png.channels, png.bitDepth], [1, 16])
        XCTAssertGreaterThan(png.samples.max()!, 1023, "the file holds samples above white (PROVENANCE: max 1053)")
        XCTAssertEqual(image.pixels, png.samples.map { min($0, 1023) })
        // Greens of a GRBG mosaic sit at (0,0) and (1,1): on this daylight scene they are brighter on average than red or blue.
        func mean(_ position: Int) -> Double {
            var sum = 0.0, count = 0.0
            for r in stride(from: position >> 1, to: 344, by: 2) {
                for c in stride(from: position & 1, to: 256, by: 2) { sum += Double(image[r, c]); count += 1 }
            }
            return sum / count
        }
        XCTAssertGreaterThan(min(mean(0), mean(3)), max(mean(1), mean(2)), "means per position \((0..<4).map(mean))")
    }
}
