extension BayerImage {
    /// The image mirrored left–right; the CFA pattern and black levels follow the pixels.
    public func flippedHorizontally() -> BayerImage {
        var out = pixels
        out.withUnsafeMutableBufferPointer { dst in
            pixels.withUnsafeBufferPointer { src in
                for r in 0..<height {
                    let row = r * width
                    for c in 0..<width { dst[row + c] = src[row + width - 1 - c] }
                }
            }
        }
        // New (r, c) holds old (r, width − 1 − c).
        let origin = (0..<4).map { cfa.position(row: $0 >> 1, column: width - 1 - ($0 & 1)) }
        return BayerImage(width: width, height: height, pixels: out, cfa: CFAPattern(colors: origin.map { cfa.colors[$0] })!,
                          blackLevels: origin.map { blackLevels[$0] }, whiteLevel: whiteLevel, metadata: metadata)
    }

    /// The image mirrored top–bottom; the CFA pattern and black levels follow the pixels.
    public func flippedVertically() -> BayerImage {
        var out = pixels
        out.withUnsafeMutableBufferPointer { dst in
            pixels.withUnsafeBufferPointer { src in
                for r in 0..<height {
                    let from = (height - 1 - r) * width, to = r * width
                    for c in 0..<width { dst[to + c] = src[from + c] }
                }
            }
        }
        let origin = (0..<4).map { cfa.position(row: height - 1 - ($0 >> 1), column: $0 & 1) }
        return BayerImage(width: width, height: height, pixels: out, cfa: CFAPattern(colors: origin.map { cfa.colors[$0] })!,
                          blackLevels: origin.map { blackLevels[$0] }, whiteLevel: whiteLevel, metadata: metadata)
    }
}
