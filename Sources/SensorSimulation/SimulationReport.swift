import Foundation

/// What `simulate` reports for one input file (also its JSON form, one object per file).
public struct SimulationReport: Codable, Sendable {
    public var file: String
    public var make: String
    public var model: String
    public var width: Int
    public var height: Int
    public var cfa: String
    /// Source ADC depth in bits.
    public var sourceBits: Int
    /// Output bits per pixel N.
    public var bits: Int
    /// e.g. "gamma(R 0.3, G 0.3, B 0.3) 4-bit".
    public var quantizer: String
    public var pixels: Int
    /// Bytes of the packed code payload (⌈pixels · N / 8⌉).
    public var payloadBytes: Int
    /// payloadBytes · 8 / pixels.
    public var bitsPerPixel: Double
    /// Source ADC bits / N.
    public var compressionVsSource: Double
    /// PSNR in dB of the dequantized mosaic against the source in normalised linear units; nil if lossless.
    public var psnrLinear: Double?
    /// Shannon entropy of the codes, bits per pixel.
    public var entropyBitsPerPixel: Double
    /// Code histograms by CFA channel label ("R", "G1", "G2", "B").
    public var histograms: [String: [Int]]
    /// Paths written: "rqm", "dng", "jpg".
    public var outputs: [String: String]

    /// A few human-readable lines.
    public var text: String {
        let psnr = psnrLinear.map { String(format: "%.2f dB", $0) } ?? "lossless"
        var lines = [
            "\(file): \(make.isEmpty && model.isEmpty ? "unknown camera" : "\(make) \(model)"), \(width)×\(height) \(cfa), \(sourceBits)-bit → \(quantizer)",
            String(format: "  payload %d bytes (%.3f bits/pixel, %.2f× smaller than %d-bit)", payloadBytes, bitsPerPixel,
                   compressionVsSource, sourceBits),
            String(format: "  PSNR (linear) %@, code entropy %.3f bits/pixel", psnr, entropyBitsPerPixel),
        ]
        for label in ["R", "G1", "G2", "B"] {
            if let h = histograms[label] { lines.append("  histogram \(label): \(h.map(String.init).joined(separator: " "))") }
        }
        for kind in ["rqm", "dng", "jpg"] {
            if let path = outputs[kind] { lines.append("  wrote \(path)") }
        }
        return lines.joined(separator: "\n")
    }
}
