import Support
import RawIO
import Bayer

/// A physically motivated image sensor: irradiance → electrons with photon shot noise → read noise →
/// black offset → ADC rounding and clipping.
///
/// Irradiance is relative: 1.0 fills the well to the white level. For irradiance e at pixel, with
/// range R = white − black and gain g electrons per ADC unit:
///
///     electrons = Poisson(e · R · g)
///     DN = clamp(round(black + electrons / g + N(0, σ_read)), 0, 2^adcBits − 1), then ≤ white
///
/// so shot noise is √(signal_DN / g) ADC units (0.5·√signal at the default g = 4) and the read noise
/// σ_read is in ADC units.
public struct SensorModel: Codable, Sendable, Equatable {
    public var adcBits: Int
    public var blackLevel: Int
    /// Electrons per ADC unit.
    public var gainElectronsPerDN: Double
    /// Read noise standard deviation, ADC units.
    public var readNoiseDN: Double

    public init(adcBits: Int = 12, blackLevel: Int? = nil, gainElectronsPerDN: Double = 4, readNoiseDN: Double? = nil) {
        precondition((8...16).contains(adcBits), "SensorModel: ADC depth \(adcBits) outside 8...16")
        self.adcBits = adcBits
        self.blackLevel = blackLevel ?? 1 << (adcBits - 4)
        self.gainElectronsPerDN = gainElectronsPerDN
        self.readNoiseDN = readNoiseDN ?? 3 * Double(1 << (adcBits - 12 > 0 ? adcBits - 12 : 0))
    }

    /// Saturation: the largest ADC code.
    public var whiteLevel: Int { (1 << adcBits) - 1 }

    /// Captures a mosaic: `irradiance[row * width + column]` is the relative irradiance of the colour
    /// the CFA puts at that pixel.
    public func capture(irradiance: [Float], width: Int, height: Int, cfa: CFAPattern, random: inout SeededRandom,
                        metadata: RawMetadata = RawMetadata()) -> BayerImage {
        precondition(irradiance.count == width * height, "SensorModel.capture: \(irradiance.count) values do not fill \(width)×\(height)")
        let range = Double(whiteLevel - blackLevel)
        let white = Double(whiteLevel)
        var pixels = [UInt16](repeating: 0, count: irradiance.count)
        for i in 0..<irradiance.count {
            let meanElectrons = max(0, Double(irradiance[i])) * range * gainElectronsPerDN
            // Far above saturation the value clips anyway: skip sampling huge Poisson means.
            let electrons = meanElectrons > 4 * range * gainElectronsPerDN ? meanElectrons : random.poisson(meanElectrons)
            let value = Double(blackLevel) + electrons / gainElectronsPerDN + readNoiseDN * Double(random.nextNormal())
            pixels[i] = UInt16(min(max(value.rounded(), 0), white))
        }
        return BayerImage(width: width, height: height, pixels: pixels, cfa: cfa,
                          blackLevels: [Int](repeating: blackLevel, count: 4), whiteLevel: whiteLevel, metadata: metadata)
    }
}
