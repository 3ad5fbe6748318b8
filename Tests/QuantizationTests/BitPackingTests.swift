import Quantization
import TestSupport
import XCTest
import Support

final class BitPackingTests: XCTestCase {
    func testLayoutIsLeastSignificantBitFirst() {
        XCTAssertEqual(BitPacking.pack([0x1, 0x2, 0xF], bits: 4), [0x21, 0x0F])
        // 3-bit codes 5, 3, 7: bits 101 | 011 << 3 | 111 << 6 = 0b1_1101_1101 → 0xDD, 0x01
        XCTAssertEqual(BitPacking.pack([5, 3, 7], bits: 3), [0xDD, 0x01])
        XCTAssertEqual(BitPacking.pack([1, 0, 1, 1, 0, 0, 0, 0, 1], bits: 1), [0b0000_1101, 0b1])
    }

    func testRoundTripForEveryWidthAndOddCounts() {
        var generator = SeededRandom(seed: 11)
        for bits in 1...8 {
            for count in [0, 1, 7, 8, 9, 63, 64, 65, 1001] {
                let codes = (0..<count).map { _ in UInt8(generator.next() % UInt64(1 << bits)) }
                let packed = BitPacking.pack(codes, bits: bits)
                XCTAssertEqual(packed.count, (count * bits + 7) / 8)
                XCTAssertEqual(BitPacking.unpack(packed, count: count, bits: bits), codes, "bits \(bits) count \(count)")
            }
        }
    }

    func testFusedEncodeAndPackEqualsEncodeThenPack() throws {
        var generator = SeededRandom(seed: 5)
        for bits in 1...8 {
            for (width, height) in [(48, 32), (47, 31), (2, 3), (33, 1), (160, 4)] {
                let pixels = (0..<(width * height)).map { _ in UInt16(generator.next() % 4200) }  // some above white
                let q = try MosaicQuantizer(spec: try .gamma([0.3, 0.5, 0.8], bits: bits), colorIndices: [1, 0, 2, 1],
                                            blackLevels: [200, 210, 190, 205], whiteLevel: 4095)
                let codes = q.encode(pixels, width: width, height: height)
                XCTAssertEqual(q.encodePacked(pixels, width: width, height: height), BitPacking.pack(codes, bits: bits),
                               "bits \(bits) \(width)×\(height)")
                for (i, code) in codes.enumerated() {
                    let p = (i / width & 1) << 1 | (i % width & 1)
                    XCTAssertEqual(code, q.channels[p].encoder[min(Int(pixels[i]), 4095)])
                }
            }
        }
    }

    func testCRC32CheckValue() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)  // the standard CRC-32 check value
    }
}
