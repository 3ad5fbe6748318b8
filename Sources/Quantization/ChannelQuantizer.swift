/// The sensor and server tables of one CFA channel: encoder (ADC code → N-bit code) and decoder
/// (code → linear ADC value at the centre of the code's interval).
public struct ChannelQuantizer: Sendable, Equatable {
    public let bits: Int
    public let black: Int
    public let white: Int
    public let curve: TransferCurve
    /// Encoder: `encoder[adc]` is the N-bit code of ADC value `adc`, for every `adc` in 0..<2^adcBits.
    public let encoder: [UInt8]
    /// Decoder: `decoder[code]` = black + f⁻¹((code + ½)/2^N) · (white − black), in ADC units.
    public let decoder: [Double]

    /// Builds both tables for ADC codes 0..<2^adcBits (adcBits ≥ bits to hold `white`).
    public init(curve: TransferCurve, bits: Int, black: Int, white: Int, adcBits: Int) {
        precondition((1...8).contains(bits), "ChannelQuantizer: bits \(bits) outside 1...8")
        precondition(white > black && black >= 0, "ChannelQuantizer: need 0 ≤ black < white, got \(black), \(white)")
        precondition((1...16).contains(adcBits) && (1 << adcBits) > white, "ChannelQuantizer: \(adcBits)-bit ADC cannot hold white \(white)")
        self.bits = bits
        self.black = black
        self.white = white
        self.curve = curve
        let range = Double(white - black)
        let levels = 1 << bits
        encoder = (0..<(1 << adcBits)).map { adc in
            UInt8(ChannelQuantizer.code(adc: adc, black: black, range: range, curve: curve, levels: levels))
        }
        decoder = (0..<levels).map { code in
            Double(black) + curve.invert((Double(code) + 0.5) / Double(levels)) * range
        }
    }

    /// The defining formula: code = min(2^N − 1, floor(2^N · f(clamp((adc − black)/range, 0, 1)))).
    @inlinable public static func code(adc: Int, black: Int, range: Double, curve: TransferCurve, levels: Int) -> Int {
        let x = min(max(Double(adc - black) / range, 0), 1)
        let y = curve.apply(x)
        return min(levels - 1, max(0, Int((Double(levels) * y).rounded(.down))))
    }

    /// The decoder rounded to whole ADC units (what a DNG `LinearizationTable` can hold).
    public var integerDecoder: [UInt16] { decoder.map { UInt16(clamping: Int($0.rounded())) } }

    /// Encoder thresholds: `thresholds[k]` is the smallest ADC value whose code is ≥ k + 1 (k = 0..<2^N − 1),
    /// or nil where no ADC value reaches that code. A sensor can compare against these instead of a table.
    public var thresholds: [Int?] {
        (1..<(1 << bits)).map { k in encoder.firstIndex { Int($0) >= k } }
    }
}
