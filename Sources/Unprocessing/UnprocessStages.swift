import Bayer
import ISP
import Support

/// The unprocessing stages one by one, in Double on whole images: the reference that ``Unprocessor``'s
/// fused Float32 pipeline is tested against, and each the exact inverse of a forward stage.
///
/// Images are row-major, `[row * width + column]`; RGB pixels are `SIMD3<Double>` (R, G, B), linear light
/// normalised so 1 is white, except ``decodeSRGB8(_:)``'s input, the photo's 8-bit codes.
public enum UnprocessStages {
    /// 8-bit sRGB codes → encoded values y = code / 255.
    public static func decodeSRGB8(_ photo: RGBImage) -> [SIMD3<Double>] {
        (0..<(photo.width * photo.height)).map { (i: Int) -> SIMD3<Double> in
            let p = photo.pixels
            let rgb = SIMD3<Double>(Double(p[3 * i]), Double(p[3 * i + 1]), Double(p[3 * i + 2]))
            return rgb / 255
        }
    }

    /// Inverse tone curve, per channel: ``ToneCurve/invert(_:)`` (forward: ``ToneCurve/apply(_:)``).
    public static func inverseToneCurve(_ image: [SIMD3<Double>]) -> [SIMD3<Double>] {
        image.map { SIMD3(ToneCurve.invert($0[0]), ToneCurve.invert($0[1]), ToneCurve.invert($0[2])) }
    }

    /// Inverse sRGB transfer, per channel: ``SRGB/decode(_:)`` (forward: ``SRGB/encode(_:pow:)``).
    public static func inverseSRGB(_ image: [SIMD3<Double>]) -> [SIMD3<Double>] {
        image.map { SIMD3(SRGB.decode($0[0]), SRGB.decode($0[1]), SRGB.decode($0[2])) }
    }

    /// Inverse colour matrix: linear sRGB → white-balanced camera RGB, M⁻¹ · rgb with M the camera's `rgb_cam`.
    public static func inverseColorMatrix(_ image: [SIMD3<Double>], camera: CameraProfile) throws -> [SIMD3<Double>] {
        guard let m = ColorMatrix.inverse(camera.cameraToSRGB) else {
            throw UnprocessError("the colour matrix of camera \(Untrusted.quote(camera.name)) cannot be inverted")
        }
        return image.map { (p: SIMD3<Double>) -> SIMD3<Double> in
            var out = SIMD3<Double>()
            for k in 0..<3 { out[k] = m[3 * k] * p[0] + m[3 * k + 1] * p[1] + m[3 * k + 2] * p[2] }
            return out
        }
    }

    /// Inverse white balance: camera RGB ÷ gains (R/G, 1, B/G).
    public static func inverseWhiteBalance(_ image: [SIMD3<Double>], gains: [Double]) -> [SIMD3<Double>] {
        let g = SIMD3(gains[0], gains[1], gains[2])
        return image.map { $0 / g }
    }

    /// Exposure scaling: × e.
    public static func scaleExposure(_ image: [SIMD3<Double>], by exposure: Double) -> [SIMD3<Double>] { image.map { $0 * exposure } }

    /// Mosaicking: each pixel keeps the channel its CFA position sees; negative light clipped to 0.
    public static func mosaic(_ image: [SIMD3<Double>], width: Int, cfa: CFAPattern) -> [Double] {
        image.indices.map { i in max(0, image[i][cfa.color(row: i / width, column: i % width).rawValue]) }
    }

    /// Shot and read noise, pixel by pixel in raster order from `random`.
    public static func addNoise(_ mosaic: [Double], _ noise: PoissonGaussianNoise, random: inout SeededRandom) -> [Double] {
        mosaic.map { Double(noise.sample(Float($0), random: &random)) }
    }

    /// Black level and ADC: round(black + x · (white − black)) per position, clipped to [0, white].
    public static func quantize(_ mosaic: [Double], width: Int, blackLevels: [Int], white: Int) -> [UInt16] {
        mosaic.indices.map { i in
            let black = blackLevels[(i / width & 1) << 1 | (i % width & 1)]
            return UInt16(min(max((Double(black) + mosaic[i] * Double(white - black)).rounded(), 0), Double(white)))
        }
    }

    /// All stages in order: the photo as the camera's mosaic codes (the CFA, blacks and white of ``Unprocessor``).
    public static func run(_ photo: RGBImage, camera: CameraProfile, draw: UnprocessDraw, random: inout SeededRandom) throws -> [UInt16] {
        guard let cfa = CFAPattern(name: draw.cfa) else { throw UnprocessError("unknown CFA \(Untrusted.quote(draw.cfa))") }
        let linear = inverseSRGB(inverseToneCurve(decodeSRGB8(photo)))
        let camera3 = scaleExposure(inverseWhiteBalance(try inverseColorMatrix(linear, camera: camera), gains: draw.whiteBalanceGains), by: draw.exposure)
        let noisy = addNoise(mosaic(camera3, width: photo.width, cfa: cfa), draw.noise, random: &random)
        return quantize(noisy, width: photo.width, blackLevels: Unprocessor.cameraBlacks(camera, cfa: cfa), white: camera.whiteLevel)
    }
}
