import Foundation
import RawIO
import Support
import XCTest
import Unprocessing

/// Photos made in the tests: smooth colour gradients and flat patches, deterministic.
enum TestPhotos {
    /// A `width` × `height` photo: hue and brightness ramps (in-gamut, away from 0 and 255) with a few flat patches.
    static func gradient(width: Int, height: Int, seed: UInt64 = 1) -> RGBImage {
        var random = SeededRandom(seed: seed)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let patches = (0..<4).map { _ in (random.int(0, width - 1), random.int(0, height - 1), (0..<3).map { _ in UInt8(random.int(60, 200)) }) }
        for row in 0..<height {
            for column in 0..<width {
                let u = Double(column) / Double(max(width - 1, 1)), v = Double(row) / Double(max(height - 1, 1))
                var rgb = [40 + 170 * u, 40 + 170 * v, 40 + 170 * (1 - u) * (0.5 + 0.5 * v)]
                for (x, y, colour) in patches where abs(column - x) < width / 8 && abs(row - y) < height / 8 { rgb = colour.map(Double.init) }
                for c in 0..<3 { pixels[3 * (row * width + column) + c] = UInt8(rgb[c].rounded()) }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// A flat photo of one colour.
    static func flat(width: Int, height: Int, _ value: UInt8) -> RGBImage {
        RGBImage(width: width, height: height, pixels: [UInt8](repeating: value, count: width * height * 3))
    }

    /// Writes `photo` as a JPEG of the best quality.
    static func writeJPEG(_ photo: RGBImage, to path: String) throws {
        try JPEGFile.write(to: path, width: photo.width, height: photo.height, quality: 100) { row, out in
            for i in 0..<(photo.width * 3) { out[i] = photo.pixels[row * photo.width * 3 + i] }
        }
    }

    /// PSNR in dB of `a` against `b` over the pixels where `include(pixelIndex)` holds (all channels).
    static func psnr(_ a: RGBImage, _ b: RGBImage, include: (Int) -> Bool = { _ in true }) -> Double {
        var sum = 0.0, count = 0
        for i in 0..<(a.width * a.height) where include(i) {
            for c in 0..<3 {
                let d = Double(a.pixels[3 * i + c]) - Double(b.pixels[3 * i + c])
                sum += d * d
            }
            count += 3
        }
        return sum == 0 ? .infinity : 10 * log10(255 * 255 / (sum / Double(count)))
    }

    /// A draw with no noise, exposure 1 and the camera's own white balance and CFA.
    static func noiseless(_ camera: CameraProfile, exposure: Double = 1) -> UnprocessDraw {
        let g = camera.gains
        return UnprocessDraw(camera: 0, cfa: camera.cfa, exposure: exposure, iso: 100, whiteBalanceGains: [g[0], 1, g[2]], noise: .none)
    }
}
