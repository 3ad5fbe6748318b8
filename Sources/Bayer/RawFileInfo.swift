import Foundation

/// The facts `rawquant inspect` prints for a raw file (also its JSON form).
public struct RawFileInfo: Codable, Sendable {
    public var file: String
    public var make: String
    public var model: String
    /// Visible area, pixels.
    public var width: Int
    public var height: Int
    /// 2×2 pattern at the visible origin, row-major, e.g. "RGGB".
    public var cfa: String
    /// Black level per 2×2 position, row-major, ADC units.
    public var blackLevels: [Int]
    public var whiteLevel: Int
    public var adcBits: Int
    public var isoSpeed: Double?
    /// Seconds.
    public var exposureTime: Double?
    public var aperture: Double?
    /// Millimetres.
    public var focalLength: Double?
    /// Seconds since 1970.
    public var timestamp: Int64?
    /// Camera white-balance multipliers R, G, B, G2.
    public var whiteBalance: [Double]?

    public init(file: String, image: BayerImage) {
        self.file = file
        make = image.metadata.make
        model = image.metadata.model
        width = image.width
        height = image.height
        cfa = image.cfa.name
        blackLevels = image.blackLevels
        whiteLevel = image.whiteLevel
        adcBits = image.adcBits
        isoSpeed = image.metadata.isoSpeed
        exposureTime = image.metadata.exposureTime
        aperture = image.metadata.aperture
        focalLength = image.metadata.focalLength
        timestamp = image.metadata.timestamp
        whiteBalance = image.metadata.whiteBalance
    }

    /// Human-readable lines.
    public var text: String {
        func number(_ v: Double?, _ unit: String = "") -> String { v.map { "\($0)\(unit)" } ?? "unknown" }
        let exposure = exposureTime.map { $0 < 1 && $0 > 0 ? "1/\(Int((1 / $0).rounded())) s" : "\($0) s" } ?? "unknown"
        return """
        \(file)
          camera:       \(make.isEmpty && model.isEmpty ? "unknown (the file does not say)" : "\(make) \(model)")
          visible area: \(width) × \(height)
          CFA:          \(cfa)
          black levels: \(blackLevels.map(String.init).joined(separator: " ")) (per 2×2 position)
          white level:  \(whiteLevel) (\(adcBits)-bit)
          ISO:          \(number(isoSpeed))
          exposure:     \(exposure), f/\(number(aperture)), \(number(focalLength, " mm"))
          white balance: \(whiteBalance.map { $0.map { String(format: "%.4g", $0) }.joined(separator: " ") } ?? "unknown")
        """
    }
}
