import Foundation
import Bayer
import ISP
import Support

/// The forward pipeline that ``Unprocessor`` inverts: linear camera RGB → the 8-bit sRGB photo.
///
/// camera x̂ (normalised) → white balance (× gains) → exposure compensation (÷ e) → clip to [0, 1] →
/// colour matrix (camera's `rgb_cam`) → clip → sRGB transfer → tone curve (``ToneCurve``) → round(255·y).
/// With the draw unprocessing used and no noise, it gives the photo back up to ADC rounding, except
/// where unprocessing clipped (out-of-gamut colours, which give negative light, and white).
public enum PhotoFinishing {
    /// One pixel's 8-bit sRGB value from its linear camera RGB.
    public static func render(_ camera: SIMD3<Double>, profile: CameraProfile, draw: UnprocessDraw) -> SIMD3<UInt8> {
        let g = draw.whiteBalanceGains
        let balanced = SIMD3(camera[0] * g[0], camera[1] * g[1], camera[2] * g[2]) / draw.exposure
        let clipped = balanced.clamped(lowerBound: SIMD3(repeating: 0), upperBound: SIMD3(repeating: 1))
        let m = profile.cameraToSRGB
        var out = SIMD3<UInt8>()
        for k in 0..<3 {
            let linear = min(max(m[3 * k] * clipped[0] + m[3 * k + 1] * clipped[1] + m[3 * k + 2] * clipped[2], 0), 1)
            let encoded = ToneCurve.apply(SRGB.encode(linear, pow: { Foundation.pow($0, $1) }))
            out[k] = UInt8((encoded * 255).rounded())
        }
        return out
    }

    /// The mosaic rendered back to an 8-bit photo: bilinear demosaic (``Demosaic``) of the normalised
    /// mosaic, then ``render(_:profile:draw:)`` per pixel.
    public static func render(_ mosaic: BayerImage, profile: CameraProfile, draw: UnprocessDraw) -> RGBImage {
        let width = mosaic.width, height = mosaic.height
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let normalised: (Int, Int) -> Float = { row, column in
            normalizedADC(Int(mosaic.pixels[row * width + column]), black: mosaic.blackLevels[(row & 1) << 1 | (column & 1)], white: mosaic.whiteLevel)
        }
        for row in 0..<height {
            for column in 0..<width {
                let rgb = Demosaic.bilinear(row: row, column: column, width: width, height: height, cfa: mosaic.cfa, normalised)
                let out = render(SIMD3(Double(rgb[0]), Double(rgb[1]), Double(rgb[2])), profile: profile, draw: draw)
                for k in 0..<3 { pixels[3 * (row * width + column) + k] = out[k] }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}
