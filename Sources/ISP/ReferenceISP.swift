import Bayer
import Quantization
import Support

/// The preview ISP: the stages of this target composed for previews —
/// ``Demosaic/bilinear(row:column:width:height:cfa:_:)`` → ``WhiteBalance`` → clip to [0, 1] →
/// ``ColorMatrix`` → exposure gain (``AutoExposure``) → ``SRGB/encode8(_:)`` → 8-bit RGB.
///
/// Input is a mosaic in normalised linear units per pixel, x̂ = (value − black)/(white − black),
/// provided by a closure so quantized and full-precision mosaics share the pipeline. Output rows are
/// 3 × width bytes, RGB; ``BoxDownscale`` shrinks them for small previews.
public struct ReferenceISP: Sendable {
    public let width: Int
    public let height: Int
    public let cfa: CFAPattern
    /// Gains applied to camera R, G, B (green = 1), from the camera's white-balance multipliers.
    public let whiteBalance: SIMD3<Float>
    /// Camera RGB → linear sRGB, 3×3 row-major (identity where the camera's matrix is unknown).
    public let colorMatrix: [Float]
    /// Linear gain before the sRGB curve.
    public let exposureGain: Float
    private let normalised: @Sendable (Int, Int) -> Float

    /// - Parameters:
    ///   - normalised: x̂ at (row, column).
    ///   - exposureGain: nil = automatic: the 99th percentile of green maps to 0.9 (gain between 1 and 64).
    ///   - greenPercentile99: the 99th-percentile green x̂, needed for automatic exposure.
    public init(width: Int, height: Int, cfa: CFAPattern, metadata: RawMetadata, exposureGain: Float?,
                greenPercentile99: Float, normalised: @escaping @Sendable (Int, Int) -> Float) {
        self.width = width
        self.height = height
        self.cfa = cfa
        self.normalised = normalised
        whiteBalance = WhiteBalance.gains(metadata)
        colorMatrix = ColorMatrix.cameraToSRGB(metadata)
        self.exposureGain = exposureGain ?? AutoExposure.gain(greenPercentile99: greenPercentile99)
    }

    /// The preview of a quantized mosaic as the server decodes it (each code through its position's decode table).
    public init(mosaic: PackedMosaic, codes: [UInt8], metadata: RawMetadata, exposureGain: Float? = nil) {
        let tables: [[Float]] = (0..<4).map { p in
            let black = Double(mosaic.blackLevels[p]), range = Double(mosaic.whiteLevel) - black
            return mosaic.decodeTables[p].map { Float(min(max(($0 - black) / range, 0), 1)) }
        }
        let width = mosaic.width
        let normalised: @Sendable (Int, Int) -> Float = { row, column in tables[(row & 1) << 1 | (column & 1)][Int(codes[row * width + column])] }
        self.init(width: mosaic.width, height: mosaic.height, cfa: mosaic.cfa, metadata: metadata, exposureGain: exposureGain,
                  greenPercentile99: AutoExposure.greenPercentile99(width: mosaic.width, height: mosaic.height, cfa: mosaic.cfa, normalised),
                  normalised: normalised)
    }

    /// The preview of a full-precision mosaic (x̂ per position from its own black and white levels).
    public init(image: BayerImage, exposureGain: Float? = nil) {
        let width = image.width, pixels = image.pixels, blacks = image.blackLevels, white = image.whiteLevel
        let normalised: @Sendable (Int, Int) -> Float = { row, column in
            normalizedADC(Int(pixels[row * width + column]), black: blacks[(row & 1) << 1 | (column & 1)], white: white)
        }
        self.init(width: width, height: image.height, cfa: image.cfa, metadata: image.metadata, exposureGain: exposureGain,
                  greenPercentile99: AutoExposure.greenPercentile99(width: width, height: image.height, cfa: image.cfa, normalised),
                  normalised: normalised)
    }

    /// Renders output row `row` into `out` (3 × width bytes, RGB).
    public func renderRow(_ row: Int, into out: UnsafeMutableBufferPointer<UInt8>) {
        let m = colorMatrix, wb = whiteBalance, gain = exposureGain
        for column in 0..<width {
            var rgb = Demosaic.bilinear(row: row, column: column, width: width, height: height, cfa: cfa, normalised)
            rgb = WhiteBalance.apply(wb, to: rgb).clamped(lowerBound: SIMD3(repeating: 0), upperBound: SIMD3(repeating: 1))
            for k in 0..<3 {
                out[3 * column + k] = SRGB.encode8(ColorMatrix.apply(m, row: k, to: rgb) * gain)
            }
        }
    }

    /// The whole image as 8-bit sRGB.
    public func render() -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        pixels.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<height {
                renderRow(row, into: UnsafeMutableBufferPointer(rebasing: buffer[(row * width * 3)..<((row + 1) * width * 3)]))
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// The integer box-downscale factor that brings the longer side to at most `maxSide` pixels (1 when nil).
    public func downscaleFactor(maxSide: Int?) -> Int { BoxDownscale.factor(width: width, height: height, maxSide: maxSide) }

    /// The preview box-downscaled by `f` ≥ 1, row by row: its size and a function that fills output row i
    /// (3 × width bytes). With f = 1 the rows are ``renderRow(_:into:)``'s. Memory: one rendered row.
    public func rows(downscale f: Int) -> (width: Int, height: Int, fill: (Int, UnsafeMutableBufferPointer<UInt8>) -> Void) {
        guard f > 1 else { return (width, height, { renderRow($0, into: $1) }) }
        var box = BoxDownscale(factor: f, width: width, height: height)
        return (box.outputWidth, box.outputHeight, { row, out in box.row(row, into: out) { renderRow($0, into: $1) } })
    }
}
