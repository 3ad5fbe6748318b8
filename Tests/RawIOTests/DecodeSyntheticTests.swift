import Dispatch
import RawIO
import TestSupport
import XCTest
import Support
import Bayer

/// Decoding the generated DNGs (all four CFA patterns, 12 and 14 bits, odd margins) against their known content.
final class DecodeSyntheticTests: XCTestCase {
    func testEveryGeneratedFixtureDecodesToItsKnownContentBitForBit() throws {
        for mosaic in SyntheticMosaic.all {
            let image = try RawDecoder.decode(path: Fixtures.path("generated/\(mosaic.fileName)"))
            XCTAssertEqual(image.width, mosaic.effectiveWidth, mosaic.fileName)
            XCTAssertEqual(image.height, mosaic.effectiveHeight, mosaic.fileName)
            XCTAssertEqual(image.cfa, mosaic.visibleCFA, mosaic.fileName)
            XCTAssertEqual(image.blackLevels, mosaic.visibleBlackLevels, mosaic.fileName)
            XCTAssertEqual(image.whiteLevel, mosaic.whiteLevel, mosaic.fileName)
            XCTAssertEqual(image.adcBits, mosaic.adcBits, mosaic.fileName)
            XCTAssertEqual(image.metadata.make, "RawQuant", mosaic.fileName)
            XCTAssertEqual(image.pixels, mosaic.expectedPixels, mosaic.fileName)
        }
    }

    func testCommittedFixturesAreWhatTheGeneratorWrites() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for mosaic in SyntheticMosaic.all {
            try mosaic.write(to: directory + "/" + mosaic.fileName)
            let fresh = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + mosaic.fileName))
            let committed = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("generated/\(mosaic.fileName)")))
            XCTAssertEqual(fresh, committed, "\(mosaic.fileName): run `swift run make-fixtures`")
        }
    }

    func testValuesAboveWhiteAreClamped() throws {
        let mosaic = SyntheticMosaic(cfa: .rggb, adcBits: 12)
        XCTAssertEqual(mosaic.storedValue(row: 0, column: 0), 65535, "the fixture stores a value above white at (0,0)")
        let image = try RawDecoder.decode(path: Fixtures.path("generated/\(mosaic.fileName)"))
        XCTAssertEqual(image[0, 0], 4095)
        XCTAssertLessThanOrEqual(image.pixels.max()!, 4095)
    }

    func testOddMarginsShiftTheReportedPattern() throws {
        let mosaic = SyntheticMosaic(cfa: .rggb, adcBits: 12, top: 1, left: 1)
        // An odd ActiveArea is rounded to an even origin by LibRaw, so the pattern stays RGGB here,
        // while the files with one odd margin report a different phase from their stored pattern.
        XCTAssertEqual(try RawDecoder.decode(path: Fixtures.path("generated/\(mosaic.fileName)")).cfa, .rggb)
        let grbg = SyntheticMosaic(cfa: .grbg, adcBits: 14, top: 1, left: 0)
        XCTAssertEqual(try RawDecoder.decode(path: Fixtures.path("generated/\(grbg.fileName)")).cfa, .grbg)
    }

    func testDecodingFromMemoryEqualsDecodingFromFile() throws {
        let path = Fixtures.path("generated/synthetic_gbrg_14bit.dng")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let fromMemory = try RawDecoder.decode(data: bytes, name: path)
        let fromFile = try RawDecoder.decode(path: path)
        XCTAssertEqual(fromMemory.pixels, fromFile.pixels)
        XCTAssertEqual(fromMemory.cfa, fromFile.cfa)
        XCTAssertEqual(fromMemory.blackLevels, fromFile.blackLevels)
    }

    func testSeveralFilesDecodeConcurrently() throws {
        let paths = SyntheticMosaic.all.map { Fixtures.path("generated/\($0.fileName)") }
        let serial = try paths.map { try RawDecoder.decode(path: $0).pixels }
        let concurrent = LockedSlots<[UInt16]>(count: paths.count * 4)
        DispatchQueue.concurrentPerform(iterations: concurrent.count) { i in
            concurrent[i] = try? RawDecoder.decode(path: paths[i % paths.count]).pixels
        }
        for i in 0..<concurrent.count { XCTAssertEqual(concurrent[i], serial[i % paths.count]) }
    }

    func testWriterRoundTripsAnImageThroughLibRaw() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var generator = SeededRandom(seed: 3)
        let width = 38, height = 26
        let pixels = (0..<(width * height)).map { _ in UInt16(generator.next() % 16384) }
        let image = BayerImage(width: width, height: height, pixels: pixels, cfa: .gbrg, blackLevels: [512, 500, 520, 510],
                               whiteLevel: 16383, metadata: RawMetadata(make: "Test", model: "Round trip"))
        let path = directory + "/roundtrip.dng"
        try DNGWriter.write(image, to: path)
        let decoded = try RawDecoder.decode(path: path)
        XCTAssertEqual(decoded.pixels, pixels)
        XCTAssertEqual(decoded.cfa, .gbrg)
        XCTAssertEqual(decoded.blackLevels, [512, 500, 520, 510])
        XCTAssertEqual(decoded.metadata.model, "Round trip")
    }

    func testCropAtOddOffsetShiftsPatternAndBlacks() throws {
        let image = try RawDecoder.decode(path: Fixtures.path("generated/synthetic_rggb_12bit.dng"))
        let crop = image.cropped(x: 1, y: 3, width: 10, height: 8)
        XCTAssertEqual(crop.cfa, .bggr)
        XCTAssertEqual(crop.blackLevels, [image.blackLevels[3], image.blackLevels[2], image.blackLevels[1], image.blackLevels[0]])
        XCTAssertEqual(crop[0, 0], image[3, 1])
        XCTAssertEqual(crop[7, 9], image[10, 10])
    }
}
