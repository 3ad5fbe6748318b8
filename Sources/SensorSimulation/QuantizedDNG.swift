import Quantization
import RawIO
import Bayer

/// Writes a quantized mosaic as a standard CFA DNG whose samples are the codes and whose
/// `LinearizationTable` maps them back to linear ADC values, so any raw tool sees the dequantized mosaic.
///
/// DNG has one linearization table for all pixels. When the four positions' decode tables are equal,
/// the samples are the codes themselves; otherwise the sample of a pixel at 2×2 position p is
/// `p · 2^N + code` and the table is the four decode tables one after another (4 · 2^N entries). Samples take
/// one byte when they all fit (at most 256 table entries: every width with one table, up to 6 bits with four),
/// else two.
public enum QuantizedDNG {
    /// The linearization table and the sample offset of each 2×2 position.
    public static func linearization(for mosaic: PackedMosaic) -> (table: [UInt16], offsets: [Int]) {
        let tables = mosaic.decodeTables.map { $0.map { UInt16(clamping: Int($0.rounded())) } }
        if tables.allSatisfy({ $0 == tables[0] }) { return (tables[0], [0, 0, 0, 0]) }
        return (tables.flatMap { $0 }, (0..<4).map { $0 * mosaic.quantizer.levels })
    }

    /// Writes the DNG atomically; `metadata` (make, model, white balance, colour matrix, exposure) comes from the source.
    public static func write(_ mosaic: PackedMosaic, codes: [UInt8], metadata: RawMetadata, to path: String) throws {
        let (table, offsets) = linearization(for: mosaic)
        var description = DNGDescription(width: mosaic.width, height: mosaic.height, cfa: mosaic.cfa,
                                         blackLevels: mosaic.blackLevels, whiteLevel: mosaic.whiteLevel,
                                         linearizationTable: table, metadata: metadata)
        description.bitsPerSample = table.count <= 256 ? 8 : 16
        try codes.withUnsafeBufferPointer { codes in
            try DNGWriter.write(description, to: path) { row, out in
                let base = row * mosaic.width
                let even = UInt16(offsets[(row & 1) << 1]), odd = UInt16(offsets[(row & 1) << 1 | 1])
                for c in 0..<mosaic.width { out[c] = UInt16(codes[base + c]) + (c & 1 == 0 ? even : odd) }
            }
        }
    }
}
