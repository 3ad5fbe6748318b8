extension BayerImage {
    /// The mosaic resampled to `newWidth` × `newHeight` (even), plane by plane so the CFA phase is kept:
    /// each of the four positions' half-resolution planes is interpolated bilinearly at pixel centres
    /// (an output plane pixel j samples the source plane at (j + ½)·s − ½, s = old/new, clamped to the edge),
    /// then the planes are interleaved again. Values stay ADC codes (rounded); CFA, levels and metadata unchanged.
    public func resampled(width newWidth: Int, height newHeight: Int) -> BayerImage {
        precondition(newWidth >= 2 && newHeight >= 2 && newWidth % 2 == 0 && newHeight % 2 == 0,
                     "BayerImage.resampled: size \(newWidth)×\(newHeight) must be even and at least 2")
        let pw = width / 2, ph = height / 2, qw = newWidth / 2, qh = newHeight / 2
        func taps(_ n: Int, _ source: Int) -> [(Int, Int, Float)] {
            let s = Double(source) / Double(n)
            return (0..<n).map { j in
                let x = min(max((Double(j) + 0.5) * s - 0.5, 0), Double(source - 1))
                let a = Int(x), b = min(a + 1, source - 1)
                return (a, b, Float(x - Double(a)))
            }
        }
        let xs = taps(qw, pw), ys = taps(qh, ph)
        var out = [UInt16](repeating: 0, count: newWidth * newHeight)
        out.withUnsafeMutableBufferPointer { dst in
            pixels.withUnsafeBufferPointer { src in
                for p in 0..<4 {
                    let dr = p >> 1, dc = p & 1
                    for (j, (y0, y1, fy)) in ys.enumerated() {
                        let row0 = (2 * y0 + dr) * width, row1 = (2 * y1 + dr) * width
                        for (i, (x0, x1, fx)) in xs.enumerated() {
                            let c0 = 2 * x0 + dc, c1 = 2 * x1 + dc
                            let top = Float(src[row0 + c0]) * (1 - fx) + Float(src[row0 + c1]) * fx
                            let bottom = Float(src[row1 + c0]) * (1 - fx) + Float(src[row1 + c1]) * fx
                            dst[(2 * j + dr) * newWidth + 2 * i + dc] = UInt16((top * (1 - fy) + bottom * fy).rounded())
                        }
                    }
                }
            }
        }
        return BayerImage(width: newWidth, height: newHeight, pixels: out, cfa: cfa, blackLevels: blackLevels, whiteLevel: whiteLevel, metadata: metadata)
    }

    /// The mosaic extended on the right and bottom to `newWidth` × `newHeight` (even, at least the size) with
    /// black (each position's black level, x̂ = 0), as detection pads its input.
    public func padded(width newWidth: Int, height newHeight: Int) -> BayerImage {
        precondition(newWidth >= width && newHeight >= height && newWidth % 2 == 0 && newHeight % 2 == 0,
                     "BayerImage.padded: \(newWidth)×\(newHeight) must be even and at least \(width)×\(height)")
        guard newWidth != width || newHeight != height else { return self }
        var out = [UInt16](repeating: 0, count: newWidth * newHeight)
        for r in 0..<newHeight {
            for c in 0..<newWidth {
                out[r * newWidth + c] = r < height && c < width ? pixels[r * width + c] : UInt16(clamping: blackLevels[(r & 1) << 1 | (c & 1)])
            }
        }
        return BayerImage(width: newWidth, height: newHeight, pixels: out, cfa: cfa, blackLevels: blackLevels, whiteLevel: whiteLevel, metadata: metadata)
    }
}
