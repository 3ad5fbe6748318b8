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

    /// The inverse of a 3×3 row-major matrix (adjugate over determinant, in Double); nil when the matrix
    /// is singular or badly conditioned (|det| below 10⁻⁹ of the product of its row norms) or not finite.
    public static func inverse(_ m: [Double]) -> [Double]? {
        guard m.count == 9, m.allSatisfy(\.isFinite) else { return nil }
        func minor(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double { m[a] * m[b] - m[c] * m[d] }
        let cofactors: [Double] = [
            minor(4, 8, 5, 7), minor(2, 7, 1, 8), minor(1, 5, 2, 4),
            minor(5, 6, 3, 8), minor(0, 8, 2, 6), minor(2, 3, 0, 5),
            minor(3, 7, 4, 6), minor(1, 6, 0, 7), minor(0, 4, 1, 3),
        ]
        let det: Double = m[0] * cofactors[0] + m[1] * cofactors[3] + m[2] * cofactors[6]
        var scale: Double = 1
        for r in 0..<3 {
            let a = m[3 * r], b = m[3 * r + 1], c = m[3 * r + 2]
            scale *= (a * a + b * b + c * c).squareRoot()
        }
        guard det.isFinite, abs(det) > 1e-9 * scale, scale > 0 else { return nil }
        return cofactors.map { $0 / det }
    }

    /// The 3×3 product a · b, row-major, in Double.
    public static func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: 9)
        for i in 0..<3 {
            for j in 0..<3 {
                var sum = 0.0
                for k in 0..<3 { sum += a[3 * i + k] * b[3 * k + j] }
                out[3 * i + j] = sum
            }
        }
        return out
    }
}
