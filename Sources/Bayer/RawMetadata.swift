/// Capture facts of a raw file, as far as the file records them.
public struct RawMetadata: Sendable, Codable, Equatable {
    public var make: String
    public var model: String
    /// ISO speed; nil where unknown.
    public var isoSpeed: Double?
    /// Exposure time in seconds; nil where unknown.
    public var exposureTime: Double?
    /// F-number; nil where unknown.
    public var aperture: Double?
    /// Focal length in millimetres; nil where unknown.
    public var focalLength: Double?
    /// Capture time as seconds since 1970 (camera clock); nil where unknown.
    public var timestamp: Int64?
    /// Camera ("as shot") white-balance multipliers for R, G, B, G2; nil where the file has none.
    public var whiteBalance: [Double]?
    /// XYZ(D65) → camera colour matrix, 3×3 row-major (rows R, G, B), as a DNG ColorMatrix; nil where unknown.
    public var colorMatrix: [Double]?
    /// Camera RGB → linear sRGB matrix, 3×3 row-major; nil where unknown.
    public var cameraToSRGB: [Double]?
    /// Read noise at this file's ISO measured on its optically masked margin (``DarkNoise``), ADC codes RMS;
    /// nil where the file keeps no masked pixels.
    public var darkNoise: Double? = nil

    public init(make: String = "", model: String = "", isoSpeed: Double? = nil, exposureTime: Double? = nil,
                aperture: Double? = nil, focalLength: Double? = nil, timestamp: Int64? = nil,
                whiteBalance: [Double]? = nil, colorMatrix: [Double]? = nil, cameraToSRGB: [Double]? = nil) {
        self.make = make
        self.model = model
        self.isoSpeed = isoSpeed
        self.exposureTime = exposureTime
        self.aperture = aperture
        self.focalLength = focalLength
        self.timestamp = timestamp
        self.whiteBalance = whiteBalance
        self.colorMatrix = colorMatrix
        self.cameraToSRGB = cameraToSRGB
    }
}
