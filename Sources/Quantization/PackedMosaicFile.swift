import Foundation

/// The `.rqm` file: a ``PackedMosaic`` behind a small versioned header, with a checksum.
///
/// Layout (all integers little-endian):
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 4 | magic `RQM1` (ASCII) |
/// | 4 | 2 | format version, currently 1 |
/// | 6 | 2 | reserved, 0 |
/// | 8 | 4 | header length H in bytes |
/// | 12 | H | header: UTF-8 JSON (see ``Header``) |
/// | 12+H | 8 | payload length P in bytes (must equal ⌈width·height·bits/8⌉) |
/// | 20+H | P | payload: the codes bit-packed LSB-first, row-major (see ``BitPacking``) |
/// | 20+H+P | 4 | CRC-32 (IEEE) of every preceding byte |
public enum PackedMosaicFile {
    public static let magic: [UInt8] = Array("RQM1".utf8)
    public static let version: UInt16 = 1

    /// The JSON header: dimensions, CFA, bits, levels, the quantizer and its decode tables.
    public struct Header: Codable, Equatable, Sendable {
        public var width: Int
        public var height: Int
        public var cfa: String
        public var bits: Int
        public var adcBits: Int
        public var blackLevels: [Int]
        public var whiteLevel: Int
        public var quantizer: QuantizerSpec
        /// Code → linear ADC value, one table per 2×2 position (row-major).
        public var decodeTables: [[Double]]
        /// Always "lsb-first".
        public var bitOrder: String
        /// Name of the source file, informational.
        public var source: String?
    }

    /// Serialises a mosaic into the file's bytes.
    public static func encode(_ mosaic: PackedMosaic, source: String? = nil) throws -> [UInt8] {
        try mosaic.validate()
        let header = Header(width: mosaic.width, height: mosaic.height, cfa: mosaic.cfa, bits: mosaic.bits,
                            adcBits: mosaic.adcBits, blackLevels: mosaic.blackLevels, whiteLevel: mosaic.whiteLevel,
                            quantizer: mosaic.quantizer, decodeTables: mosaic.decodeTables, bitOrder: "lsb-first",
                            source: source)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = Array(try encoder.encode(header))
        var out = magic
        out.reserveCapacity(24 + json.count + mosaic.payload.count)
        out += withUnsafeBytes(of: version.littleEndian, Array.init)
        out += [0, 0]
        out += withUnsafeBytes(of: UInt32(json.count).littleEndian, Array.init)
        out += json
        out += withUnsafeBytes(of: UInt64(mosaic.payload.count).littleEndian, Array.init)
        out += mosaic.payload
        let crc = CRC32.checksum(out)
        out += withUnsafeBytes(of: crc.littleEndian, Array.init)
        return out
    }

    /// Parses and verifies a file's bytes; throws on a bad magic, version, length, checksum or header.
    public static func decode(_ bytes: [UInt8]) throws -> (mosaic: PackedMosaic, header: Header) {
        guard bytes.count >= 24 else { throw QuantizationError("truncated: \(bytes.count) bytes is shorter than any .rqm file") }
        guard Array(bytes[0..<4]) == magic else { throw QuantizationError("not a RawQuant .rqm file (bad magic)") }
        let fileVersion = readInteger(bytes, at: 4, as: UInt16.self)
        guard fileVersion == version else { throw QuantizationError("unsupported .rqm version \(fileVersion) (this reader knows \(version))") }
        let headerLength = Int(readInteger(bytes, at: 8, as: UInt32.self))
        guard headerLength <= bytes.count - 24 else { throw QuantizationError("truncated: header length \(headerLength) runs past the end") }
        let payloadLengthOffset = 12 + headerLength
        let payloadLength = readInteger(bytes, at: payloadLengthOffset, as: UInt64.self)
        let payloadStart = payloadLengthOffset + 8
        guard payloadLength <= UInt64(bytes.count - payloadStart - 4) else {
            throw QuantizationError("truncated: payload of \(payloadLength) bytes runs past the end")
        }
        let end = payloadStart + Int(payloadLength)
        guard end + 4 == bytes.count else { throw QuantizationError("\(bytes.count - end - 4) unexpected bytes after the payload") }
        let stored = readInteger(bytes, at: end, as: UInt32.self)
        let actual = bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<end])) }
        guard stored == actual else { throw QuantizationError("checksum mismatch: file is corrupt") }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[12..<payloadLengthOffset]))
        } catch {
            throw QuantizationError("malformed header: \(error)")
        }
        guard header.bitOrder == "lsb-first" else { throw QuantizationError("unknown bit order \"\(header.bitOrder)\"") }
        guard header.bits == header.quantizer.bits else {
            throw QuantizationError("header bits \(header.bits) disagree with quantizer bits \(header.quantizer.bits)")
        }
        let mosaic = PackedMosaic(width: header.width, height: header.height, cfa: header.cfa, adcBits: header.adcBits,
                                  blackLevels: header.blackLevels, whiteLevel: header.whiteLevel, quantizer: header.quantizer,
                                  decodeTables: header.decodeTables, payload: Array(bytes[payloadStart..<end]))
        try mosaic.validate()
        return (mosaic, header)
    }

    /// Reads and verifies the file at `path`; errors are prefixed with nothing (callers name the file).
    public static func read(path: String) throws -> PackedMosaic {
        guard let data = FileManager.default.contents(atPath: path) else { throw QuantizationError("cannot read file") }
        return try decode(Array(data)).mosaic
    }

    private static func readInteger<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int, as: T.Type) -> T {
        var value: T = 0
        for i in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + i]) << (8 * i) }
        return value
    }
}
