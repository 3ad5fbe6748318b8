import Foundation

/// Fast exact samplers for per-pixel noise, drawn from a ``SeededRandom``.
///
/// - ``Ziggurat/normal(_:)``: Marsaglia & Tsang's ziggurat (J. Stat. Softw. 5(8), 2000) with 128 layers,
///   r = 3.442619855899; the layer index takes the low 7 bits of a 64-bit draw and the 32-bit value its
///   high half (so the two are independent, unlike the original's shared bits). Tables are built in Double.
/// - ``Ziggurat/poisson(_:_:)``: exact Poisson counts for means below 30 (inversion below 10, PTRS
///   rejection from 10), for the low-light shot noise where the normal approximation is not good enough.
public enum Ziggurat {
    /// The layer tables, allocated once and never freed (so the sampler reads them without reference counting).
    nonisolated(unsafe) public static let layers: (k: UnsafePointer<UInt32>, w: UnsafePointer<Float>, f: UnsafePointer<Float>, reciprocals: UnsafePointer<Float>) = {
        var k = [UInt32](repeating: 0, count: 128), w = [Double](repeating: 0, count: 128), f = [Double](repeating: 0, count: 128)
        var dn = 3.442619855899, tn = dn
        let vn = 9.91256303526217e-3, m1 = 2147483648.0
        let q = vn / exp(-0.5 * dn * dn)
        k[0] = UInt32(dn / q * m1)
        k[1] = 0
        w[0] = q / m1
        w[127] = dn / m1
        f[0] = 1
        f[127] = exp(-0.5 * dn * dn)
        for i in stride(from: 126, through: 1, by: -1) {
            dn = (-2 * log(vn / dn + exp(-0.5 * dn * dn))).squareRoot()
            k[i + 1] = UInt32(dn / tn * m1)
            tn = dn
            f[i] = exp(-0.5 * dn * dn)
            w[i] = dn / m1
        }
        func pinned<T>(_ values: [T]) -> UnsafePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: values.count)
            pointer.initialize(from: values, count: values.count)
            return UnsafePointer(pointer)
        }
        return (pinned(k), pinned(w.map(Float.init)), pinned(f.map(Float.init)), pinned((0..<64).map { $0 == 0 ? 0 : 1 / Float($0) }))
    }()

    /// A standard normal sample (Float).
    @inlinable public static func normal(_ random: inout SeededRandom) -> Float {
        let tables = layers
        while true {
            let bits = random.nextUInt64()
            let hz = Int32(truncatingIfNeeded: bits >> 32), iz = Int(bits & 127)
            let x = Float(hz) * tables.w[iz]
            if hz.magnitude < tables.k[iz] { return x }
            if iz == 0 {  // the tail beyond r
                var t: Float, y: Float
                repeat {
                    t = -Foundation.log(1 - random.nextUniform()) / 3.442620
                    y = -Foundation.log(1 - random.nextUniform())
                } while y + y < t * t
                return hz > 0 ? 3.442620 + t : -3.442620 - t
            }
            if tables.f[iz] + random.nextUniform() * (tables.f[iz - 1] - tables.f[iz]) < Foundation.exp(-0.5 * x * x) { return x }
        }
    }

    /// ln k! for k = 0…127.
    public static let logFactorials: [Double] = (0..<128).map { k in (1...max(k, 1)).reduce(0.0) { $0 + Foundation.log(Double($1)) } }

    /// A Poisson sample with mean `mean` in [0, 30); nil above. Below 10: inversion (one uniform, one exp,
    /// about `mean` steps); from 10: Hörmann's transformed rejection PTRS (Insurance Math. Econ. 12, 1993),
    /// as NumPy uses it, which accepts about 86 % of draws without a logarithm.
    @inlinable public static func poisson(_ mean: Float, _ random: inout SeededRandom) -> Float? {
        guard mean < 30 else { return nil }
        guard mean > 0 else { return 0 }
        guard mean >= 10 else {
            let u = random.nextUniform()
            var p = Foundation.exp(-mean), cumulative = p, k = 0
            let inverse = layers.reciprocals
            while u >= cumulative && k < 63 {
                k += 1
                p *= mean * inverse[k]
                cumulative += p
            }
            return Float(k)
        }
        let root = mean.squareRoot()
        let b: Float = 0.931 + 2.53 * root, a: Float = -0.059 + 0.024_83 * b
        let vr: Float = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = random.nextUniform() - 0.5, v = random.nextUniform()
            let us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + mean + 0.43).rounded(.down)
            if us >= 0.07 && v <= vr { return k }
            if k < 0 || (us < 0.013 && v > us) { continue }
            let inverseAlpha = 1.1239 + 1.1328 / Double(b - 3.4)
            let kk = Int(k)
            let logFactorial = kk < 128 ? logFactorials[kk] : Foundation.lgamma(Double(k) + 1)
            let lhs = Foundation.log(Double(v) * inverseAlpha / (Double(a) / Double(us * us) + Double(b)))
            if lhs <= -Double(mean) + Double(k) * Foundation.log(Double(mean)) - logFactorial { return k }
        }
    }
}
