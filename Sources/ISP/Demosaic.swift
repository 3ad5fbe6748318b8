import Bayer

/// Demosaicking: a full RGB value per pixel from a Bayer mosaic.
///
/// Inputs are normalised linear values x̂ ∈ [0, 1] (``normalizedADC(_:black:white:)``), read through a
/// closure so quantized and full-precision mosaics share the stage.
public enum Demosaic {
    /// Bilinear demosaic at full resolution: each colour is the mean of the pixels of that colour in the
    /// 3×3 neighbourhood of (row, column) that lie inside the image; the pixel's own colour is its own value.
    /// Returns linear camera (R, G, B).
    @inlinable
    public static func bilinear(row: Int, column: Int, width: Int, height: Int, cfa: CFAPattern,
                                _ normalised: (Int, Int) -> Float) -> SIMD3<Float> {
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
        return rgb
    }

    /// Superpixel demosaic at half resolution: one RGB value per 2×2 block from its planes
    /// (``PlanePacking`` order R, Gr, Gb, B): (R, (Gr + Gb)/2, B).
    @inlinable
    public static func superpixel(red: Float, greenInRedRow: Float, greenInBlueRow: Float, blue: Float) -> SIMD3<Float> {
        SIMD3(red, (greenInRedRow + greenInBlueRow) / 2, blue)
    }
}
