/// A Bayer mosaic: the visible area of a raw file as ADC codes, with what is needed to interpret them.
///
/// Layout: `pixels[row * width + column]`, UInt16 ADC codes, row 0 at the top; every value is
/// ≤ `whiteLevel`. Black levels are per position of the 2×2 pattern (row-major, like `cfa.colors`).
public struct BayerImage: Sendable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt16]
    public var cfa: CFAPattern
    /// Black level per 2×2 position, in ADC units.
    public var blackLevels: [Int]
    /// Saturation level in ADC units.
    public var whiteLevel: Int
    public var metadata: RawMetadata

    public init(width: Int, height: Int, pixels: [UInt16], cfa: CFAPattern, blackLevels: [Int],
                whiteLevel: Int, metadata: RawMetadata = RawMetadata()) {
        precondition(width > 0 && height > 0 && pixels.count == width * height,
                     "BayerImage: \(pixels.count) pixels do not fill \(width)×\(height)")
        precondition(blackLevels.count == 4, "BayerImage: need 4 black levels, got \(blackLevels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
        self.cfa = cfa
        self.blackLevels = blackLevels
        self.whiteLevel = whiteLevel
        self.metadata = metadata
    }

    /// Bits the ADC needs for the white level (12 for white 4095, 14 for 16383).
    public var adcBits: Int { BayerImage.bits(toHold: whiteLevel) }

    /// Number of bits needed to represent `value` (at least 1).
    public static func bits(toHold value: Int) -> Int { max(1, Int.bitWidth - max(value, 1).leadingZeroBitCount) }

    /// The ADC code at (row, column).
    @inlinable public subscript(row: Int, column: Int) -> UInt16 { pixels[row * width + column] }

    /// A crop that starts on an even offset keeps the CFA phase; an odd one shifts it (reported in `cfa`).
    public func cropped(x: Int, y: Int, width w: Int, height h: Int) -> BayerImage {
        precondition(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= width && y + h <= height,
                     "BayerImage.cropped: rectangle (\(x),\(y),\(w),\(h)) outside \(width)×\(height)")
        var out = [UInt16](repeating: 0, count: w * h)
        for r in 0..<h {
            let src = (y + r) * width + x
            out.withUnsafeMutableBufferPointer { dst in
                pixels.withUnsafeBufferPointer { s in
                    for c in 0..<w { dst[r * w + c] = s[src + c] }
                }
            }
        }
        let blacks = (0..<4).map { blackLevels[cfa.position(row: ($0 >> 1) + y, column: ($0 & 1) + x)] }
        return BayerImage(width: w, height: h, pixels: out, cfa: cfa.shifted(row: y, column: x),
                          blackLevels: blacks, whiteLevel: whiteLevel, metadata: metadata)
    }
}
