import Bayer

/// White balance: per-colour gains on linear camera RGB, green = 1.
public enum WhiteBalance {
    /// The camera's "as shot" gains (R/G, 1, B/G) from its multipliers R, G, B, G2; (1, 1, 1) where the
    /// file has none (fewer than three values, or a non-positive green).
    public static func gains(_ metadata: RawMetadata) -> SIMD3<Float> {
        guard let wb = metadata.whiteBalance, wb.count >= 3, wb[1] > 0 else { return SIMD3(repeating: 1) }
        return SIMD3(Float(wb[0] / wb[1]), 1, Float(wb[2] / wb[1]))
    }

    /// rgb · gains, element-wise (no clipping: the caller clips as its pipeline does).
    @inlinable public static func apply(_ gains: SIMD3<Float>, to rgb: SIMD3<Float>) -> SIMD3<Float> { rgb * gains }
}
