/// A quantizer laid out for a hardware engineer: its parameters, per CFA colour the ADC thresholds at
/// which each code starts, and the decoder tables (linear ADC value and network value per code).
public struct QuantizerTable: Codable, Sendable {
    public struct Channel: Codable, Sendable {
        /// "R", "G" or "B".
        public var color: String
        /// `thresholds[k]`: the smallest ADC value with code ≥ k + 1; nil where no ADC value reaches it.
        public var adcThresholds: [Int?]
        /// Code → linear value at the centre of its interval, ADC units.
        public var linearDecoder: [Double]
        /// Code → what the network receives (one value, or the thermometer vector for Bw-SQ).
        public var networkDecoder: [[Float]]
    }

    public var quantizer: QuantizerSpec
    public var summary: String
    public var adcBits: Int
    public var black: Int
    public var white: Int
    public var channels: [Channel]

    public init(spec: QuantizerSpec, adcBits: Int, black: Int, white: Int) throws {
        try spec.validate()
        quantizer = spec
        summary = spec.summary
        self.adcBits = adcBits
        self.black = black
        self.white = white
        channels = ["R", "G", "B"].enumerated().map { colorIndex, name in
            let c = ChannelQuantizer(spec: spec, colorIndex: colorIndex, black: black, white: white, adcBits: adcBits)
            return Channel(color: name, adcThresholds: c.thresholds, linearDecoder: c.decoder, networkDecoder: c.networkValues)
        }
    }

    /// Human-readable lines.
    public var text: String {
        var lines = ["quantizer: \(summary)", "sensor: \(adcBits)-bit ADC, black \(black), white \(white)"]
        if let scales = quantizer.logScales { lines.append("log scale D: " + scales.map { String(Float($0)) }.joined(separator: " ")) }
        if let knots = quantizer.knots, let rows = quantizer.increments {
            lines.append("knots (x̂): " + knots.map { String(Float($0)) }.joined(separator: " "))
            for (g, row) in rows.enumerated() {
                lines.append("increments \(rows.count == 1 ? "(global)" : ["R", "G", "B"][g]): " + row.map { String(Float($0)) }.joined(separator: " "))
            }
        }
        for channel in channels {
            lines.append("\(channel.color):")
            lines.append("  code starts at ADC: " + channel.adcThresholds.map { $0.map(String.init) ?? "-" }.joined(separator: " "))
            lines.append("  decoder (ADC):      " + channel.linearDecoder.map { String(Int($0.rounded())) }.joined(separator: " "))
            let network = channel.networkDecoder.map { v in v.count == 1 ? "\(v[0])" : "[" + v.map { String(Int($0)) }.joined() + "]" }
            lines.append("  network input:      " + network.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }
}
