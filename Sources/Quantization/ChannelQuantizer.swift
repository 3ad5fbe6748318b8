import Bayer
/// The sensor and server tables of one CFA channel: the encoder (ADC code → N-bit code), the linear
/// decoder (code → ADC value at the centre of the code's interval) and the network decoder (code → what
/// the network receives).
public struct ChannelQuantizer: Sendable, Equatable {
    public let bits: Int
    public let black: Int
    public let white: Int
    public let mapping: CodeMapping
    public let networkEncoding: NetworkEncoding
    /// Encoder: `encoder[adc]` is the code of ADC value `adc`, for every `adc` in 0..<2^adcBits.
    public let encoder: [UInt8]
    /// Linear decoder: `decoder[code]` = black + centre(code) · (white − black), ADC units.
    public let decoder: [Double]
    /// Network decoder: `networkValues[code]` holds 1 value (2^N − 1 for the thermometer encoding).
    public let networkValues: [[Float]]

    /// Builds the tables for ADC codes 0..<2^adcBits (adcBits ≥ the bits that hold `white`).
    /// - Parameter centres: x̂ each code decodes to; nil = the centre of the code's interval (``CodeMapping/centre(code:levels:)``).
    public init(mapping: CodeMapping, networkEncoding: NetworkEncoding = .centre, centres: [Double]? = nil,
                bits: Int, black: Int, white: Int, adcBits: Int) {
        precondition((1...8).contains(bits), "ChannelQuantizer: bits \(bits) outside 1...8")
        precondition(white > black && black >= 0, "ChannelQuantizer: need 0 ≤ black < white, got \(black), \(white)")
        precondition((1...16).contains(adcBits) && (1 << adcBits) > white, "ChannelQuantizer: \(adcBits)-bit ADC cannot hold white \(white)")
        self.bits = bits
        self.black = black
        self.white = white
        self.mapping = mapping
        self.networkEncoding = networkEncoding
        let levels = 1 << bits
        encoder = (0..<(1 << adcBits)).map { adc in UInt8(mapping.code(normalizedADC(adc, black: black, white: white), levels: levels)) }
        let range = Double(white - black)
        precondition(centres == nil || centres!.count == levels, "ChannelQuantizer: need \(levels) decoded values")
        decoder = (0..<levels).map { Double(black) + (centres?[$0] ?? mapping.centre(code: $0, levels: levels)) * range }
        networkValues = (0..<levels).map { ChannelQuantizer.networkValue(code: $0, levels: levels, mapping: mapping, encoding: networkEncoding) }
    }

    /// The tables of the channel of colour `colorIndex` (0 R, 1 G, 2 B) under `spec`.
    public init(spec: QuantizerSpec, colorIndex: Int, black: Int, white: Int, adcBits: Int) {
        self.init(mapping: spec.mapping(colorIndex: colorIndex, range: white - black), networkEncoding: spec.networkEncoding,
                  centres: spec.decodedValues(colorIndex: colorIndex), bits: spec.bits, black: black, white: white, adcBits: adcBits)
    }

    /// A curve channel (linear, log, γ) whose network receives the code's centre.
    public init(curve: TransferCurve, bits: Int, black: Int, white: Int, adcBits: Int) {
        self.init(mapping: .curve(curve), bits: bits, black: black, white: white, adcBits: adcBits)
    }

    /// What the network receives for code k, in Float32 exactly as the train face computes it in eval mode.
    public static func networkValue(code k: Int, levels: Int, mapping: CodeMapping, encoding: NetworkEncoding) -> [Float] {
        switch encoding {
        case .centre: return [(Float(k) + 0.5) / Float(levels)]
        case .count: return [Float(k) / Float(levels - 1)]
        case .step:
            guard case .step(let s) = mapping else { return [Float(k)] }
            return [Float(k) * s]
        case .thermometer:
            guard case .thresholds(let a) = mapping else { return [] }
            // Entry j is 1 iff a_j is among the k smallest thresholds (ties broken by index).
            let rank = a.indices.sorted { a[$0] != a[$1] ? a[$0] < a[$1] : $0 < $1 }
            var out = [Float](repeating: 0, count: a.count)
            for j in rank.prefix(k) { out[j] = 1 }
            return out
        }
    }

    /// The decoder rounded to whole ADC units (what a DNG `LinearizationTable` can hold).
    public var integerDecoder: [UInt16] { decoder.map { UInt16(clamping: Int($0.rounded())) } }

    /// Encoder thresholds: `thresholds[k]` is the smallest ADC value whose code is ≥ k + 1 (k = 0..<2^N − 1),
    /// or nil where no ADC value reaches that code. A sensor can compare against these instead of a table.
    public var thresholds: [Int?] {
        (1..<(1 << bits)).map { k in encoder.firstIndex { Int($0) >= k } }
    }
}
