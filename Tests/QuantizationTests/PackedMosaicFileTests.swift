import Support
import Bayer
import Quantization
import TestSupport
import XCTest

final class PackedMosaicFileTests: XCTestCase {
    private func sampleMosaic(bits: Int, width: Int = 31, height: Int = 23) throws -> PackedMosaic {
        var generator = SeededRandom(seed: UInt64(bits))
        let pixels = (0..<(width * height)).map { _ in UInt16(generator.next() % 4096) }
        let spec = try QuantizerSpec.gamma([0.25, 0.3, 0.35], bits: bits)
        let q = try MosaicQuantizer(spec: spec, colorIndices: [0, 1, 1, 2], blackLevels: [128, 128, 127, 128], whiteLevel: 4095)
        return PackedMosaic(width: width, height: height, cfa: .rggb, adcBits: 12, blackLevels: [128, 128, 127, 128],
                            whiteLevel: 4095, quantizer: spec, decodeTables: q.decodeTables,
                            payload: q.encodePacked(pixels, width: width, height: height))
    }

    func testRoundTripForEveryBitWidth() throws {
        for bits in 1...8 {
            let mosaic = try sampleMosaic(bits: bits)
            let bytes = try PackedMosaicFile.encode(mosaic, source: "x.dng")
            let (decoded, header) = try PackedMosaicFile.decode(bytes)
            XCTAssertEqual(decoded, mosaic)
            XCTAssertEqual(header.source, "x.dng")
            XCTAssertEqual(header.bitOrder, "lsb-first")
        }
    }

    func testCorruptionTruncationAndForeignFilesAreRefused() throws {
        let bytes = try PackedMosaicFile.encode(try sampleMosaic(bits: 4))
        func refused(_ data: [UInt8], _ fragment: String, line: UInt = #line) {
            XCTAssertThrowsError(try PackedMosaicFile.decode(data), line: line) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(error)", line: line)
            }
        }
        var flipped = bytes
        flipped[bytes.count - 10] ^= 0x40
        refused(flipped, "checksum")
        refused(Array(bytes.prefix(bytes.count - 1)), "truncated")
        refused(Array(bytes.prefix(100)), "truncated")
        refused(Array(bytes.prefix(10)), "truncated")
        refused(bytes + [0], "unexpected bytes")
        var magic = bytes
        magic[0] = UInt8(ascii: "X")
        refused(magic, "magic")
        var version = bytes
        version[4] = 9
        refused(version, "version")
    }

    func testInconsistentMosaicsCannotBeWritten() throws {
        var mosaic = try sampleMosaic(bits: 4)
        mosaic.payload.removeLast()
        XCTAssertThrowsError(try PackedMosaicFile.encode(mosaic))
        var tables = try sampleMosaic(bits: 4)
        tables.decodeTables[2].removeLast()
        XCTAssertThrowsError(try PackedMosaicFile.encode(tables))
    }

    func testDequantizedUsesEachPositionsTable() throws {
        let mosaic = try sampleMosaic(bits: 3, width: 4, height: 2)
        let codes = mosaic.codes()
        let values = mosaic.dequantized()
        for i in 0..<8 {
            let p = (i / 4 & 1) << 1 | (i % 4 & 1)
            XCTAssertEqual(values[i], Float(mosaic.decodeTables[p][Int(codes[i])]))
        }
    }
}
