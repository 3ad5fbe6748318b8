import Bayer
import Foundation
import Support

/// The `.rqm` file: a ``PackedMosaic`` behind a small versioned header, with a checksum.
///
/// A ``FramedFile`` with magic `RQM1`, version 1, the JSON ``Header`` and as payload the codes bit-packed
/// LSB-first, row-major (see ``BitPacking``; its length must equal ⌈width·height·bits/8⌉).
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
        let header = Header(width: mosaic.width, height: mosaic.height, cfa: mosaic.cfa.name, bits: mosaic.bits,
                            adcBits: mosaic.adcBits, blackLevels: mosaic.blackLevels, whiteLevel: mosaic.whiteLevel,
                            quantizer: mosaic.quantizer, decodeTables: mosaic.decodeTables, bitOrder: "lsb-first",
                            source: source)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return FramedFile.encode(magic: magic, version: version, header: Array(try encoder.encode(header)), payload: mosaic.payload)
    }

    /// Parses and verifies a file's bytes; throws on a bad magic, version, length, checksum or header.
    public static func decode(_ bytes: [UInt8]) throws -> (mosaic: PackedMosaic, header: Header) {
        let (headerBytes, payload) = try FramedFile.decode(bytes, magic: magic, version: version, kind: ".rqm")
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: headerBytes)
        } catch {
            throw QuantizationError("malformed header: \(error)")
        }
        guard header.bitOrder == "lsb-first" else { throw QuantizationError("unknown bit order \"\(header.bitOrder)\"") }
        guard header.bits == header.quantizer.bits else {
            throw QuantizationError("header bits \(header.bits) disagree with quantizer bits \(header.quantizer.bits)")
        }
        guard let cfa = CFAPattern(name: header.cfa) else { throw QuantizationError("invalid CFA \"\(header.cfa)\"") }
        let mosaic = PackedMosaic(width: header.width, height: header.height, cfa: cfa, adcBits: header.adcBits,
                                  blackLevels: header.blackLevels, whiteLevel: header.whiteLevel, quantizer: header.quantizer,
                                  decodeTables: header.decodeTables, payload: payload)
        try mosaic.validate()
        return (mosaic, header)
    }

    /// Reads and verifies the file at `path`; errors are prefixed with nothing (callers name the file).
    public static func read(path: String) throws -> PackedMosaic {
        guard let data = FileManager.default.contents(atPath: path) else { throw QuantizationError("cannot read file") }
        return try decode(Array(data)).mosaic
    }
}
