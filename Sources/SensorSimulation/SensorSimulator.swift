import Quantization
import RawIO
import Bayer

/// The result of quantizing a mosaic as a low-bit sensor would.
public struct SimulationResult: Sendable {
    /// The codes as sent, with their decode tables.
    public var mosaic: PackedMosaic
    /// The sensor-side tables that made them.
    public var quantizer: MosaicQuantizer
    public var statistics: QuantizationStatistics
}

/// Simulates a sensor whose readout is reduced to N bits by a per-channel lookup table.
public enum SensorSimulator {
    /// Colour index (0 R, 1 G, 2 B) of each 2×2 position of `cfa`, as ``MosaicQuantizer`` expects.
    public static func colorIndices(_ cfa: CFAPattern) -> [Int] { cfa.colors.map(\.rawValue) }

    /// The sensor-side quantizer for `image`'s CFA, black and white levels.
    public static func quantizer(for image: BayerImage, spec: QuantizerSpec) throws -> MosaicQuantizer {
        try MosaicQuantizer(spec: spec, colorIndices: colorIndices(image.cfa), blackLevels: image.blackLevels,
                            whiteLevel: image.whiteLevel, adcBits: image.adcBits)
    }

    /// Quantizes and bit-packs `image` and measures what was lost.
    public static func simulate(_ image: BayerImage, spec: QuantizerSpec) throws -> SimulationResult {
        let quantizer = try quantizer(for: image, spec: spec)
        let payload = quantizer.encodePacked(image.pixels, width: image.width, height: image.height)
        let mosaic = PackedMosaic(width: image.width, height: image.height, cfa: image.cfa, adcBits: quantizer.adcBits,
                                  blackLevels: image.blackLevels, whiteLevel: image.whiteLevel, quantizer: spec,
                                  decodeTables: quantizer.decodeTables, payload: payload)
        let statistics = QuantizationStatistics(pixels: image.pixels, width: image.width, height: image.height, quantizer: quantizer)
        return SimulationResult(mosaic: mosaic, quantizer: quantizer, statistics: statistics)
    }
}
