import Bayer

/// The camera RGB → linear sRGB colour matrix, 3×3 row-major.
public enum ColorMatrix {
    /// The identity, used where a camera's matrix is unknown.
    public static let identity: [Float] = [1, 0, 0, 0, 1, 0, 0, 0, 1]

    /// The camera's matrix from its metadata: nine finite values, else ``identity``.
    public static func cameraToSRGB(_ metadata: RawMetadata) -> [Float] {
        guard let m = metadata.cameraToSRGB, m.count == 9, m.allSatisfy(\.isFinite) else { return identity }
        return m.map(Float.init)
    }

    /// Output channel k of m · rgb: m[3k]·r + m[3k+1]·g + m[3k+2]·b (Float32, in this order).
    @inlinable public static func apply(_ m: [Float], row k: Int, to rgb: SIMD3<Float>) -> Float {
        m[3 * k] * rgb[0] + m[3 * k + 1] * rgb[1] + m[3 * k + 2] * rgb[2]
    }
}
