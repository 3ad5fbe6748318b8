import Foundation
import RawIO
import Support
import TestSupport
import XCTest

/// libpng decoding: every colour type at 8 and 16 bits, the RGB8 view, and bad files as clean errors.
final class PNGFileTests: XCTestCase {
    private var directory = ""
    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func write(_ bytes: [UInt8], _ name: String) throws -> String { try Fixtures.write(bytes, named: name, in: directory) }

    /// Distinct samples for every pixel and channel, below 2^bitDepth.
    private func samples(_ count: Int, bitDepth: Int) -> [UInt16] {
        (0..<count).map { UInt16(($0 * 2654435761 + 12345) % (1 << bitDepth)) }
    }

    func testEveryColourTypeAt8And16BitsDecodesToItsSamples() throws {
        let width = 13, height = 7
        for type in [MinimalPNG.ColorType.gray, .grayAlpha, .rgb, .rgba] {
            for depth in [8, 16] {
                let values = samples(width * height * type.channels, bitDepth: depth)
                let path = try write(MinimalPNG.encode(width: width, height: height, colorType: type, bitDepth: depth, samples: values),
                                     "t\(type.rawValue)_\(depth).png")
                let image = try PNGFile.decode(path: path)
                let label = "colour type \(type) at \(depth) bits"
                XCTAssertEqual([image.width, image.height, image.channels, image.bitDepth], [width, height, type.channels, depth], label)
                XCTAssertEqual(image.samples, values, label)
                XCTAssertEqual(try PNGFile.header(path: path), image.header, label)

                let rgb = try PNGFile.decodeRGB8(path: path)
                XCTAssertEqual([rgb.width, rgb.height], [width, height], label)
                let expected = (0..<(width * height)).flatMap { p -> [UInt8] in
                    let eight = { (v: UInt16) in depth == 8 ? UInt8(v) : UInt8((UInt32(v) * 255 + 32767) / 65535) }
                    let base = p * type.channels
                    return type.channels < 3 ? Array(repeating: eight(values[base]), count: 3) : (0..<3).map { eight(values[base + $0]) }
                }
                XCTAssertEqual(rgb.pixels, expected, label)
            }
        }
    }

    func testPalettesAndLowBitGrayExpand() throws {
        let palette: [UInt8] = [10, 20, 30, 200, 100, 50, 0, 255, 0]
        let indices: [UInt16] = [0, 1, 2, 1, 0, 2]
        let path = try write(MinimalPNG.encode(width: 3, height: 2, colorType: .palette, bitDepth: 8, samples: indices, palette: palette), "p.png")
        let image = try PNGFile.decode(path: path)
        XCTAssertEqual([image.channels, image.bitDepth], [3, 8])
        XCTAssertTrue(image.header.isPalette)
        XCTAssertEqual(image.samples, indices.flatMap { i in (0..<3).map { UInt16(palette[3 * Int(i) + $0]) } })
        let transparent = try write(MinimalPNG.encode(width: 3, height: 2, colorType: .palette, bitDepth: 8, samples: indices,
                                                      palette: palette, transparency: [255, 0, 128]), "pt.png")
        let rgba = try PNGFile.decode(path: transparent)
        XCTAssertEqual(rgba.channels, 4)
        XCTAssertEqual(rgba.samples.enumerated().filter { $0.offset % 4 == 3 }.map(\.element), indices.map { [255, 0, 128][Int($0)] })
        XCTAssertEqual(try PNGFile.decodeRGB8(path: transparent).pixels, image.samples.map(UInt8.init), "alpha is dropped")
    }

    func testTruncatedCorruptAndOversizedFilesAreCleanErrors() throws {
        let good = MinimalPNG.encode(width: 40, height: 30, colorType: .gray, bitDepth: 16, samples: samples(1200, bitDepth: 16))
        // Cut inside the image data; a CRC broken in IHDR; the IDAT's zlib stream garbled; not a PNG at all.
        var badCRC = good
        badCRC[29] ^= 0xFF
        var garbled = good
        for i in 45..<60 { garbled[i] = 0xA5 }
        let cases: [(String, [UInt8])] = [
            ("truncated", Array(good.prefix(good.count / 2))), ("header only", Array(good.prefix(33))),
            ("bad CRC", badCRC), ("garbled", garbled), ("signature only", Array(good.prefix(8))), ("text", Array("hello".utf8)),
        ]
        for (name, bytes) in cases {
            let path = try write(bytes, name + ".png")
            XCTAssertThrowsError(try PNGFile.decode(path: path), name) { error in
                XCTAssertEqual((error as? RawIOError)?.kind, .corruptData, "\(name): \(error)")
                XCTAssertTrue("\(error)".hasPrefix(path + ": cannot decode PNG: "), "\(name): \(error)")
            }
            XCTAssertThrowsError(try PNGFile.decodeRGB8(path: path), name)
            XCTAssertThrowsError(try PNGFile.decode(data: bytes, name: name), name)
        }
        // A header claiming 60000 × 60000 pixels is refused from the IHDR, before any allocation.
        var huge = MinimalPNG.encode(width: 2, height: 2, colorType: .rgba, bitDepth: 16, samples: samples(16, bitDepth: 16))
        let ihdr = [0, 0, 0xEA, 0x60, 0, 0, 0xEA, 0x60] as [UInt8]
        huge.replaceSubrange(16..<24, with: ihdr)
        huge.replaceSubrange(29..<33, with: MinimalPNG.chunk("IHDR", ihdr + [16, 6, 0, 0, 0]).suffix(4))
        let hugePath = try write(huge, "huge.png")
        XCTAssertThrowsError(try PNGFile.decode(path: hugePath)) { error in
            XCTAssertEqual((error as? RawIOError)?.kind, .tooLarge, "\(error)")
            XCTAssertTrue("\(error)".contains("PNG of 60000×60000 pixels is over the limit of 100000000 pixels"), "\(error)")
        }
        XCTAssertThrowsError(try PNGFile.decode(path: write(good, "g.png"), maxPixels: 1199)) { XCTAssertEqual(($0 as? RawIOError)?.kind, .tooLarge) }
        XCTAssertNoThrow(try PNGFile.decode(path: write(good, "g.png"), maxPixels: 1200))
        XCTAssertThrowsError(try PNGFile.decode(path: directory)) { XCTAssertEqual(($0 as? RawIOError)?.kind, .isDirectory) }
        XCTAssertThrowsError(try PNGFile.decode(path: directory + "/missing.png")) { XCTAssertEqual(($0 as? RawIOError)?.kind, .fileNotFound) }
    }

    func testJPEGDecodeRefusesImagesOverThePixelLimit() throws {
        let path = directory + "/a.jpg"
        try JPEGFile.write(to: path, width: 40, height: 30) { _, out in for i in out.indices { out[i] = 90 } }
        XCTAssertNoThrow(try JPEGFile.decode(path: path, maxPixels: 1200))
        XCTAssertThrowsError(try JPEGFile.decode(path: path, maxPixels: 1199)) { error in
            XCTAssertEqual((error as? RawIOError)?.kind, .tooLarge)
            XCTAssertEqual("\(error)", "\(path): JPEG of 40×30 pixels is over the limit of 1199 pixels")
        }
    }
}
