import Bayer

/// A quantized Bayer mosaic as a sensor would send it: N-bit codes bit-packed, plus everything a
/// server needs to decode them (the decode tables travel with the codes).
public struct PackedMosaic: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// The 2×2 CFA pattern at the origin.
    public var cfa: CFAPattern
    public var adcBits: Int
    /// Black level per 2×2 position (row-major), ADC units.
    public var blackLevels: [Int]
    public var whiteLevel: Int
    public var quantizer: QuantizerSpec
    /// Decoder per 2×2 position: code → linear ADC value (4 × 2^N).
    public var decodeTables: [[Double]]
    /// Codes packed as in ``BitPacking``, row-major.
    public var payload: [UInt8]

    public init(width: Int, height: Int, cfa: CFAPattern, adcBits: Int, blackLevels: [Int], whiteLevel: Int,
                quantizer: QuantizerSpec, decodeTables: [[Double]], payload: [UInt8]) {
        self.width = width
        self.height = height
        self.cfa = cfa
        self.adcBits = adcBits
        self.blackLevels = blackLevels
        self.whiteLevel = whiteLevel
        self.quantizer = quantizer
        self.decodeTables = decodeTables
        self.payload = payload
    }

    public var bits: Int { quantizer.bits }
    public var pixelCount: Int { width * height }

    /// One code per pixel (row-major).
    public func codes() -> [UInt8] { BitPacking.unpack(payload, count: pixelCount, bits: bits) }

    /// The dequantized mosaic in ADC units (decode table of each pixel's 2×2 position applied to its code).
    public func dequantized() -> [Float] {
        let codes = codes()
        let tables = decodeTables.map { $0.map(Float.init) }
        var out = [Float](repeating: 0, count: pixelCount)
        for row in 0..<height {
            for column in 0..<width {
                let i = row * width + column
                out[i] = tables[(row & 1) << 1 | (column & 1)][Int(codes[i])]
            }
        }
        return out
    }

    /// Checks that dimensions, tables and payload agree.
    public func validate() throws {
        try quantizer.validate()
        guard width > 0, height > 0, width <= 1 << 20, height <= 1 << 20 else {
            throw QuantizationError("invalid dimensions \(width)×\(height)")
        }
        guard (1...16).contains(adcBits), whiteLevel > 0, whiteLevel < 1 << adcBits else {
            throw QuantizationError("white level \(whiteLevel) does not fit a \(adcBits)-bit ADC")
        }
        guard blackLevels.count == 4, blackLevels.allSatisfy({ $0 >= 0 && $0 < whiteLevel }) else {
            throw QuantizationError("invalid black levels \(blackLevels)")
        }
        guard decodeTables.count == 4, decodeTables.allSatisfy({ $0.count == quantizer.levels && $0.allSatisfy(\.isFinite) }) else {
            throw QuantizationError("decode tables must be 4 × \(quantizer.levels) finite values")
        }
        let expected = BitPacking.byteCount(codes: pixelCount, bits: bits)
        guard payload.count == expected else {
            throw QuantizationError("payload has \(payload.count) bytes, expected \(expected) for \(width)×\(height) at \(bits) bits")
        }
    }
}
