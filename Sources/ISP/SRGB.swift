import Foundation

/// The sRGB transfer curve (IEC 61966-2-1): linear light ↔ encoded value, both in [0, 1].
///
/// encode: y = 12.92·x for x ≤ 0.0031308, else 1.055·x^(1/2.4) − 0.055;
/// decode: x = y/12.92 for y ≤ 0.04045, else ((y + 0.055)/1.055)^2.4.
public enum SRGB {
    /// The encoding curve in any floating-point type, with that type's `pow`.
    @inlinable
    public static func encode<T: BinaryFloatingPoint>(_ x: T, pow power: (T, T) -> T) -> T {
        x <= 0.003_130_8 ? 12.92 * x : 1.055 * power(x, 1 / 2.4) - 0.055
    }

    /// Encodes a linear value in Float32 (no clipping).
    @inlinable public static func encode(_ x: Float) -> Float { encode(x, pow: Foundation.pow) }

    /// Decodes an encoded value in Double.
    public static func decode(_ y: Double) -> Double { y <= 0.040_45 ? y / 12.92 : Foundation.pow((y + 0.055) / 1.055, 2.4) }

    /// 8-bit codes of the curve at x = i/4096, i = 0…4096, computed in Double.
    public static let table8: [UInt8] = (0...4096).map { i in
        let y = encode(Double(i) / 4096, pow: Foundation.pow)
        return UInt8(min(255, max(0, (y * 255).rounded())))
    }

    /// A linear value clipped to [0, 1] (NaN as 0), to 8 bits through ``table8`` (truncated to the 1/4096 grid).
    @inline(__always) public static func encode8(_ linear: Float) -> UInt8 {
        let x = linear.isNaN ? 0 : min(max(linear, 0), 1)
        return table8[Int(x * 4096)]
    }
}
