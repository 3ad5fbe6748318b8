import Foundation
import Quantization
import RawIO

/// A small reference image signal processor for previews and the ISP baseline:
/// bilinear demosaic → camera white balance → camera-to-sRGB matrix → exposure gain → sRGB gamma → 8 bit.
///
/// Input is a mosaic in normalised linear units per pixel, x̂ = (value − black)/(white − black),
/// provided by a closure so quantized and full-precision mosaics share the pipeline.
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
        if let wb = metadata.whiteBalance, wb.count >= 3, wb[1] > 0 {
            whiteBalance = SIMD3(Float(wb[0] / wb[1]), 1, Float(wb[2] / wb[1]))
        } else {
            whiteBalance = SIMD3(repeating: 1)
        }
        if let m = metadata.cameraToSRGB, m.count == 9, m.allSatisfy(\.isFinite) {
            colorMatrix = m.map(Float.init)
        } else {
            colorMatrix = [1, 0, 0, 0, 1, 0, 0, 0, 1]
        }
        self.exposureGain = exposureGain ?? min(64, max(1, 0.9 / max(greenPercentile99, 1e-6)))
    }

    /// The preview of a quantized mosaic as the server decodes it.
    public init(mosaic: PackedMosaic, codes: [UInt8], metadata: RawMetadata, exposureGain: Float? = nil) throws {
        guard let cfa = CFAPattern(name: mosaic.cfa) else { throw QuantizationError("invalid CFA \(mosaic.cfa)") }
        let tables: [[Float]] = (0..<4).map { p in
            let black = Double(mosaic.blackLevels[p]), range = Double(mosaic.whiteLevel) - black
            return mosaic.decodeTables[p].map { Float(min(max(($0 - black) / range, 0), 1)) }
        }
        let width = mosaic.width
        let normalised: @Sendable (Int, Int) -> Float = { row, column in tables[(row & 1) << 1 | (column & 1)][Int(codes[row * width + column])] }
        self.init(width: mosaic.width, height: mosaic.height, cfa: cfa, metadata: metadata, exposureGain: exposureGain,
                  greenPercentile99: ReferenceISP.greenPercentile99(width: mosaic.width, height: mosaic.height, cfa: cfa, normalised),
                  normalised: normalised)
    }

    /// The preview of a full-precision mosaic (x̂ per position from its own black and white levels).
    public init(image: BayerImage, exposureGain: Float? = nil) {
        let width = image.width, pixels = image.pixels, blacks = image.blackLevels, white = image.whiteLevel
        let normalised: @Sendable (Int, Int) -> Float = { row, column in
            normalizedADC(Int(pixels[row * width + column]), black: blacks[(row & 1) << 1 | (column & 1)], white: white)
        }
        self.init(width: width, height: image.height, cfa: image.cfa, metadata: image.metadata, exposureGain: exposureGain,
                  greenPercentile99: ReferenceISP.greenPercentile99(width: width, height: image.height, cfa: image.cfa, normalised),
                  normalised: normalised)
    }

    /// The 99th percentile of the green pixels' x̂ (both greens, each through its own table), from a
    /// 4096-bin histogram: one pass, no sorting.
    static func greenPercentile99(width: Int, height: Int, cfa: CFAPattern, _ normalised: (Int, Int) -> Float) -> Float {
        var histogram = [Int](repeating: 0, count: 4097)
        var total = 0
        for row in 0..<height {
            for column in 0..<width where cfa.color(row: row, column: column) == .green {
                histogram[Int(min(max(normalised(row, column), 0), 1) * 4096)] += 1
                total += 1
            }
        }
        var cumulative = 0
        for (bin, n) in histogram.enumerated() {
            cumulative += n
            if Double(cumulative) >= 0.99 * Double(total) { return Float(bin + 1) / 4096 }
        }
        return 1
    }

    /// Renders output row `row` into `out` (3 × width bytes, RGB).
    public func renderRow(_ row: Int, into out: UnsafeMutableBufferPointer<UInt8>) {
        let m = colorMatrix, wb = whiteBalance, gain = exposureGain
        for column in 0..<width {
            var sum: (Float, Float, Float) = (0, 0, 0)
            var count: (Float, Float, Float) = (0, 0, 0)
            for dr in -1...1 {
                let r = row + dr
                guard r >= 0, r < height else { continue }
                for dc in -1...1 {
                    let c = column + dc
                    guard c >= 0, c < width else { continue }
                    let v = normalised(r, c)
                    switch cfa.color(row: r, column: c) {
                    case .red: sum.0 += v; count.0 += 1
                    case .green: sum.1 += v; count.1 += 1
                    case .blue: sum.2 += v; count.2 += 1
                    }
                }
            }
            var rgb = SIMD3<Float>(count.0 > 0 ? sum.0 / count.0 : 0, count.1 > 0 ? sum.1 / count.1 : 0,
                                   count.2 > 0 ? sum.2 / count.2 : 0)
            rgb[cfa.color(row: row, column: column).rawValue] = normalised(row, column)
            rgb = (rgb * wb).clamped(lowerBound: SIMD3(repeating: 0), upperBound: SIMD3(repeating: 1))
            for k in 0..<3 {
                let linear = (m[3 * k] * rgb[0] + m[3 * k + 1] * rgb[1] + m[3 * k + 2] * rgb[2]) * gain
                out[3 * column + k] = ReferenceISP.encodeSRGB(linear)
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
    public func downscaleFactor(maxSide: Int?) -> Int {
        guard let maxSide, maxSide > 0 else { return 1 }
        return max(1, (max(width, height) + maxSide - 1) / maxSide)
    }

    /// Writes the preview as a JPEG atomically, rendering row by row. With `downscale` f > 1 each output
    /// pixel is the mean of an f×f block of rendered sRGB pixels (edge blocks: the pixels that exist), and
    /// the JPEG is ⌈width/f⌉ × ⌈height/f⌉. Memory: f rendered rows.
    public func writeJPEG(to path: String, quality: Int = 90, downscale f: Int = 1) throws {
        precondition(f >= 1, "downscale factor must be at least 1")
        guard f > 1 else {
            try JPEGFile.write(to: path, width: width, height: height, quality: quality) { row, out in renderRow(row, into: out) }
            return
        }
        let outWidth = (width + f - 1) / f, outHeight = (height + f - 1) / f
        var rendered = [UInt8](repeating: 0, count: width * 3)
        var sums = [UInt32](repeating: 0, count: outWidth * 3)
        try JPEGFile.write(to: path, width: outWidth, height: outHeight, quality: quality) { outRow, out in
            for k in sums.indices { sums[k] = 0 }
            let rows = (outRow * f)..<min(height, (outRow + 1) * f)
            for row in rows {
                rendered.withUnsafeMutableBufferPointer { renderRow(row, into: $0) }
                for column in 0..<width {
                    let o = column / f * 3, i = column * 3
                    sums[o] += UInt32(rendered[i]); sums[o + 1] += UInt32(rendered[i + 1]); sums[o + 2] += UInt32(rendered[i + 2])
                }
            }
            for column in 0..<outWidth {
                let count = UInt32(rows.count * (min(width, (column + 1) * f) - column * f))
                for k in 0..<3 { out[3 * column + k] = UInt8((sums[3 * column + k] + count / 2) / count) }
            }
        }
    }

    private static let srgbTable: [UInt8] = (0...4096).map { i in
        let x = Double(i) / 4096
        let y = x <= 0.003_130_8 ? 12.92 * x : 1.055 * pow(x, 1 / 2.4) - 0.055
        return UInt8(min(255, max(0, (y * 255).rounded())))
    }

    /// sRGB transfer function of a linear value, clamped to [0, 1], to 8 bits.
    @inline(__always) static func encodeSRGB(_ linear: Float) -> UInt8 {
        let x = min(max(linear, 0), 1)
        return srgbTable[Int(x * 4096)]
    }
}
