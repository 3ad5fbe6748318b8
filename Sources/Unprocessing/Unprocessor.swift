import Bayer
import ISP
import Support

/// One photo's random draw: which camera, CFA, exposure, ISO and white balance it is unprocessed with.
public struct UnprocessDraw: Codable, Sendable, Equatable {
    /// Index into the dataset's camera list.
    public var camera: Int
    public var cfa: String
    /// Linear scale of the scene before capture (1 = the photo's exposure; 0.1 = 3.3 stops darker).
    public var exposure: Double
    public var iso: Double
    /// White-balance gains (R/G, 1, B/G) the rendering would apply; unprocessing divides by them.
    public var whiteBalanceGains: [Double]
    /// The noise model at ``iso``.
    public var noise: PoissonGaussianNoise

    public init(camera: Int, cfa: String, exposure: Double, iso: Double, whiteBalanceGains: [Double], noise: PoissonGaussianNoise) {
        self.camera = camera
        self.cfa = cfa
        self.exposure = exposure
        self.iso = iso
        self.whiteBalanceGains = whiteBalanceGains
        self.noise = noise
    }
}

/// Inverts a photo finishing pipeline: an sRGB photo → the linear mosaic a camera would have recorded.
///
/// Stages, in order (``mosaic(_:camera:draw:random:)`` fuses them in Float32; ``UnprocessStages`` has each
/// one alone, in Double, as the reference the fused pipeline is tested against):
/// 1. ``linearize(_:)``: 8-bit sRGB code → inverse tone curve (``ToneCurve``) → inverse sRGB transfer
///    (``SRGB/decode(_:)``) → linear sRGB in [0, 1].
/// 2. ``cameraCoefficients(camera:draw:)``: inverse colour matrix (sRGB → white-balanced camera RGB,
///    M⁻¹ of the camera's `rgb_cam`), inverse white balance (÷ gains) and exposure (× e) folded into one
///    3×3 matrix K, so camera channel c = Σⱼ K[c][j] · linear sRGB j.
/// 3. Mosaicking: each pixel keeps the channel its CFA position sees; negative light clipped to 0.
/// 4. Noise: ``PoissonGaussianNoise`` at the draw's ISO.
/// 5. ``adc(_:black:white:)``: black level, rounding, clipping at 0 and white.
public enum Unprocessor {
    /// Stage 1 for one 8-bit code: x = sRGB⁻¹(tone⁻¹(code / 255)), in Double.
    public static func linearize(_ code: UInt8) -> Double { SRGB.decode(ToneCurve.invert(Double(code) / 255)) }

    /// Stage 1 as a table of the 256 codes (Float32).
    public static let linearTable: [Float] = (0...255).map { Float(linearize(UInt8($0))) }

    /// Stage 2: K = diag(e / gains) · M⁻¹, row-major, in Double (nil when the camera's matrix is singular).
    public static func cameraCoefficients(camera: CameraProfile, draw: UnprocessDraw) -> [Double]? {
        guard let inverse = ColorMatrix.inverse(camera.cameraToSRGB) else { return nil }
        return (0..<9).map { inverse[$0] * draw.exposure / draw.whiteBalanceGains[$0 / 3] }
    }

    /// Stage 2 on one linear sRGB pixel: camera channel `c` = K[c]·rgb (Float32, in this order), clipped at 0.
    @inlinable public static func cameraValue(_ k: [Float], channel c: Int, _ r: Float, _ g: Float, _ b: Float) -> Float {
        max(0, k[3 * c] * r + k[3 * c + 1] * g + k[3 * c + 2] * b)
    }

    /// Stage 5: ADC code of normalised value x: round(black + x · (white − black)), clipped to [0, white].
    @inlinable public static func adc(_ x: Float, black: Int, white: Int) -> UInt16 {
        let value = (Float(black) + x * Float(white - black)).rounded()
        return UInt16(min(max(value, 0), Float(white)))
    }

    /// Stages 1–2 for a whole photo, without mosaicking or noise: linear camera RGB per pixel,
    /// `[3 · (row · width + column) + c]`, normalised (1 = white), negative light clipped to 0.
    public static func linearCamera(_ photo: RGBImage, camera: CameraProfile, draw: UnprocessDraw) throws -> [Float] {
        let k = try coefficients(camera: camera, draw: draw)
        let table = linearTable
        var out = [Float](repeating: 0, count: photo.width * photo.height * 3)
        for i in 0..<(photo.width * photo.height) {
            let r = table[Int(photo.pixels[3 * i])], g = table[Int(photo.pixels[3 * i + 1])], b = table[Int(photo.pixels[3 * i + 2])]
            for c in 0..<3 { out[3 * i + c] = cameraValue(k, channel: c, r, g, b) }
        }
        return out
    }

    /// All stages: the photo as the camera's mosaic. The photo must have even sides (see ``PhotoGeometry``).
    /// Noise draws come from `random` in raster order, so the same generator gives the same bits.
    public static func mosaic(_ photo: RGBImage, camera: CameraProfile, draw: UnprocessDraw, random: inout SeededRandom) throws -> BayerImage {
        let k = try coefficients(camera: camera, draw: draw)
        guard let cfa = CFAPattern(name: draw.cfa) else { throw UnprocessError("unknown CFA \(Untrusted.quote(draw.cfa))") }
        let blacks = cameraBlacks(camera, cfa: cfa)
        let width = photo.width, height = photo.height, white = camera.whiteLevel, noise = draw.noise
        let table = linearTable
        let channels = cfa.colors.map(\.rawValue)
        var pixels = [UInt16](repeating: 0, count: width * height)
        pixels.withUnsafeMutableBufferPointer { out in
            photo.pixels.withUnsafeBufferPointer { src in
                for row in 0..<height {
                    for column in 0..<width {
                        let i = row * width + column, p = (row & 1) << 1 | (column & 1)
                        let x = cameraValue(k, channel: channels[p], table[Int(src[3 * i])], table[Int(src[3 * i + 1])], table[Int(src[3 * i + 2])])
                        out[i] = adc(noise.sample(x, random: &random), black: blacks[p], white: white)
                    }
                }
            }
        }
        var metadata = RawMetadata(make: camera.make, model: camera.model, isoSpeed: draw.iso)
        metadata.colorMatrix = camera.colorMatrix
        metadata.cameraToSRGB = camera.cameraToSRGB
        let g = draw.whiteBalanceGains
        metadata.whiteBalance = [g[0], 1, g[2], 1]
        return BayerImage(width: width, height: height, pixels: pixels, cfa: cfa, blackLevels: blacks, whiteLevel: white, metadata: metadata)
    }

    /// The camera's black levels seen from a mosaic with pattern `cfa`: each position takes the black of
    /// the camera's position of the same colour (greens in order), so per-colour offsets follow the colour.
    public static func cameraBlacks(_ camera: CameraProfile, cfa: CFAPattern) -> [Int] {
        let own = camera.pattern
        func positions(_ p: CFAPattern, _ color: CFAColor) -> [Int] { (0..<4).filter { p.colors[$0] == color } }
        var blacks = [Int](repeating: 0, count: 4)
        for color in CFAColor.allCases {
            for (mine, theirs) in zip(positions(cfa, color), positions(own, color)) { blacks[mine] = camera.blackLevels[theirs] }
        }
        return blacks
    }

    private static func coefficients(camera: CameraProfile, draw: UnprocessDraw) throws -> [Float] {
        guard let k = cameraCoefficients(camera: camera, draw: draw) else {
            throw UnprocessError("the colour matrix of camera \(Untrusted.quote(camera.name)) cannot be inverted")
        }
        return k.map(Float.init)
    }
}

/// A failure of unprocessing that is not tied to one file.
public struct UnprocessError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
