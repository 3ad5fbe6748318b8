import Foundation

/// A deterministic pseudo-random generator: SplitMix64.
///
/// State update `s += 0x9E3779B97F4A7C15`, output
/// `z = s; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) * 0x94D049BB133111EB; z ^ (z >> 31)`.
/// The same seed yields the same sequence of bits on every platform.
///
/// - Uniform floats use the top 24 bits: `u = (next >> 40) * 2^-24` in `[0, 1)`.
/// - Normals use Box–Muller in Double: `u1 = 1 - uniform53` in `(0, 1]`,
///   `u2 = uniform53`, `z0 = sqrt(-2 ln u1) cos(2π u2)`, `z1 = … sin(2π u2)`,
///   rounded to Float; both values of a pair are used in order.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    private var spareNormal: Double?

    /// Creates a generator from a seed.
    public init(seed: UInt64) {
        state = seed
        spareNormal = nil
    }

    /// The next 64 random bits.
    public mutating func nextUInt64() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits (``nextUInt64()``), so the generator drives the standard library's
    /// `random(in:using:)` and `shuffled(using:)` as well.
    public mutating func next() -> UInt64 { nextUInt64() }

    /// A uniform Float in `[0, 1)` with 24 random bits.
    public mutating func nextUniform() -> Float {
        Float(nextUInt64() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A uniform Double in `[0, 1)` with 53 random bits.
    public mutating func nextUniformDouble() -> Double {
        Double(nextUInt64() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A standard normal sample (Box–Muller, see type documentation).
    public mutating func nextNormal() -> Float {
        if let z = spareNormal {
            spareNormal = nil
            return Float(z)
        }
        let u1 = 1.0 - nextUniformDouble()
        let u2 = nextUniformDouble()
        let r = (-2.0 * Foundation.log(u1)).squareRoot()
        let theta = 2.0 * Double.pi * u2
        spareNormal = r * Foundation.sin(theta)
        return Float(r * Foundation.cos(theta))
    }

    /// A uniform integer in `0..<upperBound` (multiply-shift, tiny bias accepted).
    public mutating func nextInt(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "SeededRandom.nextInt: upper bound must be positive")
        return Int((UInt64(upperBound).multipliedFullWidth(by: nextUInt64())).high)
    }
}

/// How a shuffle turns 64 random bits into an index in 0…i.
public enum ShuffleIndexing: Sendable {
    /// ``SeededRandom/nextInt(below:)``: the high word of i · bits (multiply-shift).
    case multiplyShift
    /// bits mod (i + 1): the feature benchmark's splits, kept so their tables reproduce.
    case modulo
}

extension SeededRandom {
    /// Shuffles `elements` in place: Fisher–Yates from the last index down, swapping i with a draw in 0…i.
    public mutating func shuffle<T>(_ elements: inout [T], indexing: ShuffleIndexing = .multiplyShift) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, to: 0, by: -1) {
            switch indexing {
            case .multiplyShift: elements.swapAt(i, nextInt(below: i + 1))
            case .modulo: elements.swapAt(i, Int(nextUInt64() % UInt64(i + 1)))
            }
        }
    }
}

extension SeededRandom {
    /// A uniform Double in `[low, high)`.
    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * nextUniformDouble() }

    /// A value whose logarithm is uniform in `[ln low, ln high)` (low > 0).
    public mutating func logUniform(_ low: Double, _ high: Double) -> Double {
        Foundation.exp(uniform(Foundation.log(low), Foundation.log(high)))
    }

    /// A uniform integer in `low...high`.
    public mutating func int(_ low: Int, _ high: Int) -> Int { low + nextInt(below: high - low + 1) }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { nextUniformDouble() < p }

    /// A Poisson sample with mean `mean` ≥ 0: exact (Knuth's product method) below 30, else the
    /// rounded normal approximation N(mean, mean) clamped at 0.
    public mutating func poisson(_ mean: Double) -> Double {
        if mean <= 0 { return 0 }
        if mean < 30 {
            let limit = Foundation.exp(-mean)
            var product = nextUniformDouble()
            var count = 0.0
            while product > limit {
                product *= nextUniformDouble()
                count += 1
            }
            return count
        }
        return max(0, (mean + mean.squareRoot() * Double(nextNormal())).rounded())
    }

    /// A generator for item `index` of a stream seeded with `seed`: independent streams per item,
    /// so item i is the same whether or not items before it were generated.
    public static func stream(seed: UInt64, index: UInt64) -> SeededRandom {
        var mixer = SeededRandom(seed: seed ^ (index &* 0xD1B5_4A32_D192_ED03))
        return SeededRandom(seed: mixer.nextUInt64())
    }
}
