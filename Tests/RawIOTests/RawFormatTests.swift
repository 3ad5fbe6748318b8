import Bayer
import Foundation
import RawIO
import Support
import TestSupport
import XCTest

/// `--raw-format` descriptions and the headerless mosaics they describe (issue 14, item 3).
final class RawFormatTests: XCTestCase {
    private var directory = ""
    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    func testParsesTheDocumentedExampleAndTheOptions() throws {
        let format = try RawFormat(parsing: "768x512,14,RGGB,600,15520")
        XCTAssertEqual([format.width, format.height, format.bits, format.black, format.white], [768, 512, 14, 600, 15520])
        XCTAssertEqual(format.cfa, .rggb)
        XCTAssertEqual(format.byteOrder, .little)
        XCTAssertEqual(format.sampleSize, .u16)
        XCTAssertEqual(format.description, "768x512,14,RGGB,600,15520,le,u16")
        XCTAssertEqual(try RawFormat(parsing: format.description), format, "the description parses back")
        let other = try RawFormat(parsing: "64X32,20,gbrg,0,65535,u24,BE")
        XCTAssertEqual(other.cfa, .gbrg)
        XCTAssertEqual(other.byteOrder, .big)
        XCTAssertEqual(other.sampleSize, .u24)
        XCTAssertEqual(other.headerlessByteCount, 64 * 32 * 3)
    }

    func testParseErrorsNameTheProblem() {
        let cases: [(String, String)] = [
            ("768x512,14,RGGB,600", "expected WIDTHxHEIGHT,BITS,CFA,BLACK,WHITE"),
            ("768,14,RGGB,600,15520", "the first field must be WIDTHxHEIGHT"),
            ("768x-5,14,RGGB,600,15520", "HEIGHT must be a whole number"),
            ("768x512,fourteen,RGGB,600,15520", "BITS must be a whole number"),
            ("768x512,14,RGBG,600,15520", "CFA must be RGGB, BGGR, GRBG or GBRG"),
            ("768x512,14,XYZW,600,15520", "CFA must be"),
            ("768x512,17,RGGB,600,15520", "BITS must be in 1...16 for u16 samples, got 17"),
            ("768x512,25,RGGB,600,15520,u24", "BITS must be in 1...24 for u24 samples, got 25"),
            ("768x512,0,RGGB,0,1", "BITS must be in 1...16"),
            ("768x512,14,RGGB,15520,600", "BLACK must be at least 0 and below WHITE"),
            ("768x512,14,RGGB,600,600", "below WHITE"),
            ("768x512,14,RGGB,600,16384", "WHITE must be below 2^BITS = 16384, got 16384"),
            ("768x512,24,RGGB,0,16777215,u24", "does not fit the 16-bit mosaics RawQuant holds"),
            ("1x512,14,RGGB,600,15520", "WIDTHxHEIGHT must be 2...131072 pixels each"),
            ("999999999x512,14,RGGB,600,15520", "WIDTHxHEIGHT must be 2...131072"),
            ("768x512,14,RGGB,600,15520,le,be", "one byte order (le or be) and one sample size"),
            ("768x512,14,RGGB,600,15520,u32", "got \"u32\""),
            ("768x512,14,RGGB,600,15520,le,u16,x", "got 8 fields"),
            ("768x512,14,RGGB,600,99999999999999999999", "WHITE must be a whole number"),
        ]
        for (text, fragment) in cases {
            XCTAssertThrowsError(try RawFormat(parsing: text), text) { error in
                XCTAssertTrue("\(error)".hasPrefix("raw format \"\(text)\": "), "\(error)")
                XCTAssertTrue("\(error)".contains(fragment), "\(text): \(error)")
            }
        }
    }

    /// A mosaic with distinct values at every pixel, some above white (they must clip).
    private func mosaic(width: Int, height: Int, white: Int) -> [UInt32] {
        (0..<(width * height)).map { i in i % 37 == 5 ? UInt32(white + 100) : UInt32(100 + (i * 7919) % (white - 100)) }
    }

    private func write(_ values: [UInt32], sampleBytes: Int, bigEndian: Bool, name: String) throws -> String {
        var bytes: [UInt8] = []
        for v in values {
            let le = (0..<sampleBytes).map { UInt8(v >> (8 * UInt32($0)) & 0xFF) }
            bytes += bigEndian ? le.reversed() : le
        }
        let path = "\(directory)/\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testEveryPhaseByteOrderAndSampleSizeDecodes() throws {
        let width = 24, height = 16, white = 15520
        let values = mosaic(width: width, height: height, white: white)
        for cfa in CFAPattern.all {
            for order in RawFormat.ByteOrder.allCases {
                for size in RawFormat.SampleSize.allCases {
                    let text = "\(width)x\(height),14,\(cfa.name),600,\(white),\(order.rawValue),\(size.rawValue)"
                    let format = try RawFormat(parsing: text)
                    let path = try write(values, sampleBytes: size.bytes, bigEndian: order == .big, name: "\(cfa)_\(order)_\(size).raw")
                    let image = try RawDecoder.decode(path: path, options: RawDecodeOptions(rawFormat: format))
                    XCTAssertEqual([image.width, image.height], [width, height], text)
                    XCTAssertEqual(image.cfa, cfa, text)
                    XCTAssertEqual(image.blackLevels, [600, 600, 600, 600], text)
                    XCTAssertEqual(image.whiteLevel, white, text)
                    XCTAssertEqual(image.adcBits, 14, text)
                    XCTAssertEqual(image.pixels, values.map { UInt16(min($0, UInt32(white))) }, text)
                    XCTAssertEqual(image.metadata, RawMetadata(), "a headerless file records no camera or capture facts")
                    let size = try RawDecoder.visibleSize(path: path, options: RawDecodeOptions(rawFormat: format))
                    XCTAssertEqual([size.width, size.height], [width, height], text)
                }
            }
        }
    }

    func testTheWrongByteOrderGivesOtherPixels() throws {
        let values = mosaic(width: 8, height: 8, white: 4000)
        let path = try write(values, sampleBytes: 2, bigEndian: true, name: "be.raw")
        let little = try RawDecoder.decode(path: path, options: RawDecodeOptions(rawFormat: try RawFormat(parsing: "8x8,16,RGGB,0,65535,le")))
        let big = try RawDecoder.decode(path: path, options: RawDecodeOptions(rawFormat: try RawFormat(parsing: "8x8,16,RGGB,0,65535,be")))
        XCTAssertEqual(big.pixels, values.map { UInt16($0) })
        XCTAssertEqual(little.pixels, values.map { UInt16($0).byteSwapped })
    }

    func testWrongFileSizeNamesTheFileAndTheExpectedByteCount() throws {
        let values = mosaic(width: 24, height: 16, white: 4000)
        let path = try write(values + [1], sampleBytes: 2, bigEndian: false, name: "long.raw")
        for text in ["24x16,12,RGGB,64,4000", "24x16,12,RGGB,64,4000,u24"] {
            let format = try RawFormat(parsing: text)
            let expected = 24 * 16 * format.sampleSize.bytes
            for attempt in [{ _ = try RawDecoder.decode(path: path, options: RawDecodeOptions(rawFormat: format)) },
                            { _ = try RawDecoder.visibleSize(path: path, options: RawDecodeOptions(rawFormat: format)) }] {
                XCTAssertThrowsError(try attempt()) { error in
                    XCTAssertTrue("\(error)".hasPrefix(path + ": "), "\(error)")
                    XCTAssertTrue("\(error)".contains("is \(expected) bytes (24 × 16 × \(format.sampleSize.bytes)), but the file has \(2 * 24 * 16 + 2) bytes"),
                                  "\(error)")
                }
            }
        }
    }

    func testOversizedDescriptionsAreRefusedBeforeReading() throws {
        let path = try write([1, 2, 3, 4], sampleBytes: 2, bigEndian: false, name: "tiny.raw")
        let format = try RawFormat(parsing: "100000x100000,12,RGGB,64,4000")
        XCTAssertThrowsError(try RawDecoder.decode(path: path, options: RawDecodeOptions(rawFormat: format))) { error in
            XCTAssertEqual((error as? RawIOError)?.kind, .tooLarge)
            XCTAssertTrue("\(error)".contains("100000x100000 mosaic is over the 1024 MiB limit"), "\(error)")
        }
        let small = RawDecodeOptions(maxRawMemoryMB: 0, rawFormat: try RawFormat(parsing: "2x2,12,RGGB,64,4000"))
        XCTAssertThrowsError(try RawDecoder.decode(path: path, options: small)) { XCTAssertEqual(($0 as? RawIOError)?.kind, .tooLarge) }
    }

    func testBlankHeaderlessDataAreRefusedUnlessAllowed() throws {
        let path = try write([UInt32](repeating: 0, count: 64), sampleBytes: 2, bigEndian: false, name: "zeros.raw")
        let format = try RawFormat(parsing: "8x8,12,RGGB,64,4000")
        XCTAssertThrowsError(try RawDecoder.decode(path: path, options: RawDecodeOptions(rawFormat: format))) {
            XCTAssertTrue("\($0)".contains("no pixel data"), "\($0)")
        }
        XCTAssertNoThrow(try RawDecoder.decode(path: path, options: RawDecodeOptions(allowBlank: true, rawFormat: format)))
    }

    func testInMemoryHeaderlessBytesDecodeLikeTheFile() throws {
        let values = mosaic(width: 8, height: 6, white: 4000)
        let path = try write(values, sampleBytes: 3, bigEndian: true, name: "m.raw")
        let options = RawDecodeOptions(rawFormat: try RawFormat(parsing: "8x6,12,BGGR,64,4000,be,u24"))
        let fromFile = try RawDecoder.decode(path: path, options: options)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(try RawDecoder.decode(data: bytes, name: "m.raw", options: options).pixels, fromFile.pixels)
        XCTAssertThrowsError(try RawDecoder.decode(data: Array(bytes.dropLast()), name: "m.raw", options: options)) {
            XCTAssertTrue("\($0)".contains("is 144 bytes"), "\($0)")
        }
    }
}
