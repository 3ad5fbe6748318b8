import Bayer
import Foundation
import RawIO
import TestSupport
import XCTest

/// Mosaics stored as grayscale PNG and TIFF images, read with a `--raw-format` description.
final class MosaicImageFileTests: XCTestCase {
    private var directory = ""
    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func write(_ bytes: [UInt8], _ name: String) throws -> String { try Fixtures.write(bytes, named: name, in: directory) }

    /// Samples of a 10-bit mosaic with some above white 1023 (to be clipped), none at or above 2^bitDepth.
    private func samples(width: Int, height: Int, bitDepth: Int) -> [UInt16] {
        let top = bitDepth == 8 ? 255 : 1100
        return (0..<(width * height)).map { UInt16(20 + ($0 * 7919) % (top - 20)) }
    }

    private func options(_ text: String) throws -> RawDecodeOptions { RawDecodeOptions(rawFormat: try RawFormat(parsing: text)) }

    func testGrayPNGAndTIFFMosaicsDecodeWithTheirDescription() throws {
        let width = 20, height = 14
        for depth in [8, 16] {
            let values = samples(width: width, height: height, bitDepth: depth)
            let white = depth == 8 ? 250 : 1023, bits = depth == 8 ? 8 : 10
            let files = [
                try write(MinimalPNG.encode(width: width, height: height, colorType: .gray, bitDepth: depth, samples: values), "m\(depth).png"),
                try write(MinimalTIFF.encodeGray(width: width, height: height, bitsPerSample: depth, samples: values), "m\(depth).tif"),
                try write(MinimalTIFF.encodeGray(width: width, height: height, bitsPerSample: depth, samples: values, bigEndian: true, rowsPerStrip: 3),
                          "m\(depth)be.tiff"),
            ]
            for file in files {
                for cfa in CFAPattern.all {
                    let format = "\(width)x\(height),\(bits),\(cfa.name),25,\(white)"
                    let image = try RawDecoder.decode(path: file, options: options(format))
                    XCTAssertEqual([image.width, image.height], [width, height], file)
                    XCTAssertEqual(image.cfa, cfa, file)
                    XCTAssertEqual(image.blackLevels, [25, 25, 25, 25], file)
                    XCTAssertEqual(image.whiteLevel, white, file)
                    XCTAssertEqual(image.pixels, values.map { min($0, UInt16(white)) }, "\(file) \(format)")
                    let size = try RawDecoder.visibleSize(path: file, options: options(format))
                    XCTAssertEqual([size.width, size.height], [width, height])
                }
            }
        }
    }

    func testMismatchedImagesAreErrorsNamingBothSides() throws {
        let values = samples(width: 20, height: 14, bitDepth: 16)
        let png = try write(MinimalPNG.encode(width: 20, height: 14, colorType: .gray, bitDepth: 16, samples: values), "m.png")
        let tiff = try write(MinimalTIFF.encodeGray(width: 20, height: 14, bitsPerSample: 16, samples: values), "m.tif")
        for (file, kind) in [(png, "PNG"), (tiff, "TIFF")] {
            for attempt in [{ _ = try RawDecoder.decode(path: file, options: self.options("14x20,10,GRBG,25,1023")) },
                            { _ = try RawDecoder.visibleSize(path: file, options: self.options("14x20,10,GRBG,25,1023")) }] {
                XCTAssertThrowsError(try attempt()) {
                    XCTAssertEqual("\($0)", "\(file): the \(kind) is 20x14 but the raw format says 14x20")
                }
            }
            XCTAssertThrowsError(try RawDecoder.decode(path: file, options: options("20x14,10,GRBG,25,1023,u24"))) {
                XCTAssertTrue("\($0)".contains("u24 describes headerless files"), "\($0)")
            }
        }
        let eight = try write(MinimalPNG.encode(width: 20, height: 14, colorType: .gray, bitDepth: 8, samples: samples(width: 20, height: 14, bitDepth: 8)), "8.png")
        XCTAssertThrowsError(try RawDecoder.decode(path: eight, options: options("20x14,10,GRBG,25,1023"))) {
            XCTAssertTrue("\($0)".contains("the PNG's 8-bit samples cannot hold the raw format's 10 bits"), "\($0)")
        }
        let rgb = try write(MinimalPNG.encode(width: 20, height: 14, colorType: .rgb, bitDepth: 16, samples: values + values + values), "rgb.png")
        XCTAssertThrowsError(try RawDecoder.decode(path: rgb, options: options("20x14,10,GRBG,25,1023"))) {
            XCTAssertEqual(($0 as? RawIOError)?.kind, .notBayer)
            XCTAssertTrue("\($0)".contains("not a grayscale mosaic: the PNG holds RGB samples (3 channels)"), "\($0)")
        }
        let compressed = try write(MinimalTIFF.encodeGray(width: 20, height: 14, bitsPerSample: 16, samples: values, extra: [(259, 5)]), "lzw.tif")
        XCTAssertThrowsError(try RawDecoder.decode(path: compressed, options: options("20x14,10,GRBG,25,1023"))) {
            XCTAssertTrue("\($0)".contains("compression 5 (only uncompressed, 1, is read)"), "\($0)")
        }
        let threeSamples = try write(MinimalTIFF.encodeGray(width: 20, height: 14, bitsPerSample: 16, samples: values, extra: [(277, 3)]), "rgb.tif")
        XCTAssertThrowsError(try RawDecoder.decode(path: threeSamples, options: options("20x14,10,GRBG,25,1023"))) {
            XCTAssertTrue("\($0)".contains("3 samples per pixel"), "\($0)")
        }
        // Cut inside the last strip: no pixel data for it, and nothing read past the end.
        let whole = MinimalTIFF.encodeGray(width: 20, height: 14, bitsPerSample: 16, samples: values, rowsPerStrip: 4)
        let cut = try write(Array(whole.prefix(whole.count - 30)), "cut.tif")
        XCTAssertThrowsError(try RawDecoder.decode(path: cut, options: options("20x14,10,GRBG,25,1023"))) {
            XCTAssertTrue("\($0)".contains("no pixel data for strip 4 of 4"), "\($0)")
        }
    }

    func testAPNGWithoutARawFormatSaysWhatItNeeds() throws {
        let png = try write(MinimalPNG.encode(width: 20, height: 14, colorType: .gray, bitDepth: 16, samples: samples(width: 20, height: 14, bitDepth: 16)), "m.png")
        for attempt in [{ _ = try RawDecoder.decode(path: png) }, { _ = try RawDecoder.visibleSize(path: png) }] {
            XCTAssertThrowsError(try attempt()) { error in
                XCTAssertEqual((error as? RawIOError)?.kind, .unsupportedFormat)
                XCTAssertTrue("\(error)".hasPrefix(png + ": a PNG mosaic needs --raw-format for its CFA, bits, black and white"), "\(error)")
            }
        }
    }

    func testBlankImagesAreRefused() throws {
        let png = try write(MinimalPNG.encode(width: 8, height: 8, colorType: .gray, bitDepth: 16, samples: [UInt16](repeating: 0, count: 64)), "z.png")
        XCTAssertThrowsError(try RawDecoder.decode(path: png, options: options("8x8,10,GRBG,25,1023"))) {
            XCTAssertTrue("\($0)".contains("no pixel data: every visible pixel is 0"), "\($0)")
        }
    }
}
