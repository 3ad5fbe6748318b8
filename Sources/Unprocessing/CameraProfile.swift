import Bayer
import ISP

/// What unprocessing needs to know about a camera: its mosaic layout, levels, colour and noise.
///
/// Read from any raw file LibRaw decodes (``init(image:name:)``), or the bundled Canon EOS 30D
/// (``canonEOS30D``, the camera of `Fixtures/IMG_5952.CR2`). Levels are ADC codes; matrices 3×3 row-major.
public struct CameraProfile: Codable, Sendable, Equatable {
    /// Where the white balance came from.
    public enum WhiteBalanceSource: String, Codable, Sendable {
        /// The raw file's as-shot multipliers.
        case asShot = "as shot"
        /// Daylight (D65) multipliers computed from the colour matrix, as LibRaw's `pre_mul`.
        case daylightFromMatrix = "daylight from the colour matrix"
        /// Neither was known: no white balance.
        case none
    }

    public var make: String
    public var model: String
    /// The raw file the profile was read from (its name only), or "bundled".
    public var source: String
    /// The 2×2 pattern at the mosaic's origin, e.g. "RGGB".
    public var cfa: String
    /// Black level per 2×2 position, ADC codes.
    public var blackLevels: [Int]
    public var whiteLevel: Int
    /// White-balanced camera RGB → linear sRGB (LibRaw's `rgb_cam`; rows sum to 1).
    public var cameraToSRGB: [Double]
    /// XYZ(D65) → camera RGB, as a DNG ColorMatrix1; nil where the camera file has none.
    public var colorMatrix: [Double]?
    /// White-balance multipliers R, G, B, G2 (gains relative to green: R/G, 1, B/G).
    public var whiteBalance: [Double]
    public var whiteBalanceSource: WhiteBalanceSource
    /// The ISO the camera file was shot at; nil where unknown.
    public var isoSpeed: Double?
    /// Noise at this camera's base sensitivity (see ``SensorNoiseProfile``).
    public var noise: SensorNoiseProfile

    public init(make: String, model: String, source: String, cfa: String, blackLevels: [Int], whiteLevel: Int,
                cameraToSRGB: [Double], colorMatrix: [Double]?, whiteBalance: [Double], whiteBalanceSource: WhiteBalanceSource,
                isoSpeed: Double?, noise: SensorNoiseProfile = SensorNoiseProfile()) {
        self.make = make
        self.model = model
        self.source = source
        self.cfa = cfa
        self.blackLevels = blackLevels
        self.whiteLevel = whiteLevel
        self.cameraToSRGB = cameraToSRGB
        self.colorMatrix = colorMatrix
        self.whiteBalance = whiteBalance
        self.whiteBalanceSource = whiteBalanceSource
        self.isoSpeed = isoSpeed
        self.noise = noise
    }

    /// The profile of the camera that recorded `image`: its CFA, levels, LibRaw's colour matrices and
    /// as-shot multipliers (daylight ones from the colour matrix where the file has none).
    public init(image: BayerImage, name: String) {
        let m = image.metadata
        let fromMatrix = m.colorMatrix.flatMap(CameraProfile.daylightColor)
        let toSRGB = m.cameraToSRGB.flatMap { $0.count == 9 && $0.allSatisfy(\.isFinite) ? $0 : nil }
            ?? fromMatrix?.cameraToSRGB ?? ColorMatrix.identity.map(Double.init)
        let balance: ([Double], WhiteBalanceSource)
        if let wb = m.whiteBalance, wb.count == 4, wb[0] > 0, wb[1] > 0, wb[2] > 0 {
            balance = (wb, .asShot)
        } else if let daylight = fromMatrix?.multipliers {
            balance = (daylight, .daylightFromMatrix)
        } else {
            balance = ([1, 1, 1, 1], .none)
        }
        let range = Double(image.whiteLevel) - Double(image.blackLevels.reduce(0, +)) / 4
        self.init(make: m.make, model: m.model, source: name, cfa: image.cfa.name, blackLevels: image.blackLevels,
                  whiteLevel: image.whiteLevel, cameraToSRGB: toSRGB, colorMatrix: m.colorMatrix,
                  whiteBalance: balance.0, whiteBalanceSource: balance.1, isoSpeed: m.isoSpeed,
                  noise: SensorNoiseProfile(measuredDarkNoise: m.darkNoise.map { $0 / range }, atISO: m.isoSpeed))
    }

    /// "Make Model", or the source's name where the file names no camera.
    public var name: String {
        let text = [make, model].filter { !$0.isEmpty }.joined(separator: " ")
        return text.isEmpty ? source : text
    }

    /// The mosaic pattern.
    public var pattern: CFAPattern { CFAPattern(name: cfa) ?? .rggb }

    /// Gains on camera R, G, B relative to green: (R/G, 1, B/G) of ``whiteBalance``.
    public var gains: SIMD3<Double> { SIMD3(whiteBalance[0] / whiteBalance[1], 1, whiteBalance[2] / whiteBalance[1]) }

    /// The ADC depth its white level needs.
    public var adcBits: Int { BayerImage.bits(toHold: whiteLevel) }

    /// The same camera read out at another ADC depth: white 2^bits − 1, black levels scaled by the same
    /// ratio (rounded). Unchanged when `bits` equals ``adcBits``.
    public func withADCBits(_ bits: Int) -> CameraProfile {
        guard bits != adcBits else { return self }
        var copy = self
        let white = (1 << bits) - 1
        let ratio = Double(white) / Double(whiteLevel)
        copy.blackLevels = blackLevels.map { Int((Double($0) * ratio).rounded()) }
        copy.whiteLevel = white
        return copy
    }

    /// The same camera with another full well at ISO 100 (electrons); a measured dark noise is solved again for it.
    public func withFullWell(_ electrons: Double) -> CameraProfile {
        var copy = self
        let n = noise
        copy.noise = n.measuredDarkNoise != nil
            ? SensorNoiseProfile(measuredDarkNoise: n.measuredDarkNoise, atISO: n.measuredAtISO, fullWellElectrons: electrons)
            : SensorNoiseProfile(fullWellElectrons: electrons, baseISO: n.baseISO, readNoiseElectrons: n.readNoiseElectrons, postGainNoise: n.postGainNoise)
        return copy
    }

    /// sRGB (linear, D65) → XYZ, the IEC 61966-2-1 primaries LibRaw uses (`xyz_rgb`).
    public static let sRGBToXYZ: [Double] = [0.412453, 0.357580, 0.180423, 0.212671, 0.715160, 0.072169, 0.019334, 0.119193, 0.950227]

    /// LibRaw's `cam_xyz_coeff`: camera ← sRGB as `cam_xyz · xyz_rgb`, rows normalised to sum 1; the
    /// daylight multipliers are the reciprocal row sums (normalised to green = 1) and `rgb_cam` the
    /// inverse of the normalised matrix. Nil for a malformed or singular matrix.
    public static func daylightColor(_ xyzToCamera: [Double]) -> (multipliers: [Double], cameraToSRGB: [Double])? {
        guard xyzToCamera.count == 9, xyzToCamera.allSatisfy(\.isFinite) else { return nil }
        var cameraFromSRGB = ColorMatrix.multiply(xyzToCamera, sRGBToXYZ)
        var sums: [Double] = []
        for r in 0..<3 {
            let sum = cameraFromSRGB[3 * r] + cameraFromSRGB[3 * r + 1] + cameraFromSRGB[3 * r + 2]
            guard sum > 1e-9 else { return nil }
            sums.append(sum)
            for c in 0..<3 { cameraFromSRGB[3 * r + c] /= sum }
        }
        guard let toSRGB = ColorMatrix.inverse(cameraFromSRGB) else { return nil }
        let green = 1 / sums[1]
        return ([1 / sums[0] / green, 1, 1 / sums[2] / green, 1], toSRGB)
    }
}

