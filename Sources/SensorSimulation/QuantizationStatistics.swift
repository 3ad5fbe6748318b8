import Foundation
import Quantization

/// What quantization did to a mosaic: code histograms, entropy and the error it introduced.
public struct QuantizationStatistics: Sendable, Equatable {
    /// Code histograms by 2×2 position (row-major): `histograms[p][code]` pixels.
    public var histograms: [[Int]]
    /// Mean squared error of the dequantized mosaic against the source, in normalised linear units
    /// (x̂ = (x − black)/(white − black), source clamped to [0, 1]).
    public var meanSquaredError: Double
    /// Shannon entropy of the codes over all pixels, bits per pixel.
    public var entropyBitsPerPixel: Double

    /// PSNR in dB for a peak of 1 (normalised units); nil when the error is exactly zero.
    public var psnrLinear: Double? { meanSquaredError > 0 ? 10 * log10(1 / meanSquaredError) : nil }

    /// Computes the statistics of quantizing `pixels` (row-major, `width × height`) with `quantizer`.
    ///
    /// One pass counts ADC values per 2×2 position; codes, errors and entropy then follow exactly
    /// from those counts and the quantizer's tables.
    public init(pixels: [UInt16], width: Int, height: Int, quantizer: MosaicQuantizer) {
        let adcCount = 1 << quantizer.adcBits
        var counts = [[Int]](repeating: [Int](repeating: 0, count: adcCount), count: 4)
        // 32-bit counters, position-major (4 × adcCount), flushed into `counts` before they could overflow.
        var rowCounts = [UInt32](repeating: 0, count: 4 * adcCount)
        pixels.withUnsafeBufferPointer { src in
            rowCounts.withUnsafeMutableBufferPointer { tally in
                for row in 0..<height {
                    let base = row * width
                    let even = tally.baseAddress! + ((row & 1) << 1) * adcCount
                    let odd = even + adcCount
                    var c = 0
                    while c + 1 < width {
                        even[min(Int(src[base + c]), adcCount - 1)] &+= 1
                        odd[min(Int(src[base + c + 1]), adcCount - 1)] &+= 1
                        c += 2
                    }
                    if c < width { even[min(Int(src[base + c]), adcCount - 1)] &+= 1 }
                    if row & 1023 == 1023 || row == height - 1 {
                        for p in 0..<4 {
                            for v in 0..<adcCount where tally[p * adcCount + v] != 0 {
                                counts[p][v] += Int(tally[p * adcCount + v])
                                tally[p * adcCount + v] = 0
                            }
                        }
                    }
                }
            }
        }
        var histograms = [[Int]](repeating: [Int](repeating: 0, count: quantizer.spec.levels), count: 4)
        var squaredError = 0.0
        for p in 0..<4 {
            let channel = quantizer.channels[p]
            let range = Double(channel.white - channel.black)
            for adc in 0..<adcCount where counts[p][adc] != 0 {
                let code = Int(channel.encoder[adc])
                histograms[p][code] += counts[p][adc]
                let source = min(max(Double(adc - channel.black) / range, 0), 1)
                let decoded = (channel.decoder[code] - Double(channel.black)) / range
                squaredError += Double(counts[p][adc]) * (decoded - source) * (decoded - source)
            }
        }
        let total = Double(max(pixels.count, 1))
        var totals = [Int](repeating: 0, count: quantizer.spec.levels)
        for p in 0..<4 { for code in 0..<totals.count { totals[code] += histograms[p][code] } }
        var entropy = 0.0
        for n in totals where n > 0 {
            let probability = Double(n) / total
            entropy -= probability * log2(probability)
        }
        self.histograms = histograms
        self.meanSquaredError = squaredError / total
        self.entropyBitsPerPixel = entropy
    }
}
