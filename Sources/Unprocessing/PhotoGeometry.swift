import Support

/// Size changes of a photo before unprocessing, and what they do to its boxes.
///
/// A mosaic needs even sides: ``evenCropped(_:)`` drops a last odd row and column (boxes keep their
/// pixel coordinates, clipped to the new frame). ``resized(_:width:height:)`` scales (area average when
/// shrinking, bilinear when enlarging, on the 8-bit values); boxes scale by the same ratios.
public enum PhotoGeometry {
    /// The photo with its width and height rounded down to even numbers (the last row/column dropped).
    public static func evenCropped(_ photo: RGBImage) -> RGBImage {
        let w = photo.width & ~1, h = photo.height & ~1
        guard w != photo.width || h != photo.height else { return photo }
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for row in 0..<h {
            for i in 0..<(w * 3) { pixels[row * w * 3 + i] = photo.pixels[row * photo.width * 3 + i] }
        }
        return RGBImage(width: w, height: h, pixels: pixels)
    }

    /// The size a photo of `width` × `height` takes at `scale`, rounded to even sides (at least 2).
    public static func scaledSize(width: Int, height: Int, scale: Double) -> (width: Int, height: Int) {
        func side(_ n: Int) -> Int { max(2, Int((Double(n) * scale / 2).rounded()) * 2) }
        return scale == 1 ? (width, height) : (side(width), side(height))
    }

    /// The photo resampled to `width` × `height`: each output pixel averages the source area it covers
    /// (exact box filter, fractional edges weighted) when shrinking, bilinear interpolation of pixel
    /// centres when enlarging; rounded to 8 bits.
    public static func resized(_ photo: RGBImage, width: Int, height: Int) -> RGBImage {
        guard width != photo.width || height != photo.height else { return photo }
        let xs = weights(source: photo.width, target: width), ys = weights(source: photo.height, target: height)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var row = [Double](repeating: 0, count: photo.width * 3)
        for (y, rowWeights) in ys.enumerated() {
            for i in row.indices { row[i] = 0 }
            for (sy, wy) in rowWeights {
                for i in 0..<(photo.width * 3) { row[i] += wy * Double(photo.pixels[sy * photo.width * 3 + i]) }
            }
            for (x, columnWeights) in xs.enumerated() {
                for c in 0..<3 {
                    var sum = 0.0
                    for (sx, wx) in columnWeights { sum += wx * row[3 * sx + c] }
                    pixels[3 * (y * width + x) + c] = UInt8(min(max(sum.rounded(), 0), 255))
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// For each target index, the source indices and weights (summing to 1) of a 1-D resampling.
    public static func weights(source: Int, target: Int) -> [[(Int, Double)]] {
        let ratio = Double(source) / Double(target)
        return (0..<target).map { t in
            if ratio >= 1 {  // shrinking: the exact area of [t·ratio, (t+1)·ratio) in each source pixel
                let lo = Double(t) * ratio, hi = Double(t + 1) * ratio
                return (Int(lo)..<min(source, Int(hi.rounded(.up)))).compactMap { s in
                    let w = min(hi, Double(s + 1)) - max(lo, Double(s))
                    return w > 0 ? (s, w / ratio) : nil
                }
            }
            let centre = (Double(t) + 0.5) * ratio - 0.5
            let s0 = Int(centre.rounded(.down)), f = centre - Double(s0)
            let a = min(max(s0, 0), source - 1), b = min(max(s0 + 1, 0), source - 1)
            return a == b ? [(a, 1)] : [(a, 1 - f), (b, f)]
        }
    }
}
