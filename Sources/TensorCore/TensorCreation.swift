import Support
extension Tensor {
    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, scalars: [Float](repeating: 0, count: shape.elementCount))
    }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, scalars: [Float](repeating: 1, count: shape.elementCount))
    }

    /// A tensor with every element equal to `value`.
    public static func full(_ shape: [Int], value: Float) -> Tensor {
        Tensor(shape: shape, scalars: [Float](repeating: value, count: shape.elementCount))
    }

    /// A tensor from a flat row-major array (same as `init(shape:scalars:)`).
    public static func from(_ scalars: [Float], shape: [Int]) -> Tensor {
        Tensor(shape: shape, scalars: scalars)
    }

    /// A 1-d tensor `[start, start+1, …]` of `count` elements (as Float).
    public static func arange(_ count: Int, start: Float = 0) -> Tensor {
        Tensor(shape: [count], scalars: (0..<count).map { start + Float($0) })
    }

    /// Uniform samples in `[low, high)` from ``SeededRandom`` with `seed`.
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, seed: UInt64) -> Tensor {
        var rng = SeededRandom(seed: seed)
        return uniform(shape, low: low, high: high, using: &rng)
    }

    /// Uniform samples in `[low, high)` drawn from `rng`.
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, using rng: inout SeededRandom) -> Tensor {
        let n = shape.elementCount
        var out = [Float](repeating: 0, count: n)
        for i in 0..<n { out[i] = low + (high - low) * rng.nextUniform() }
        return Tensor(shape: shape, scalars: out)
    }

    /// Normal samples `mean + std * z` (Box–Muller over ``SeededRandom``) with `seed`.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, seed: UInt64) -> Tensor {
        var rng = SeededRandom(seed: seed)
        return normal(shape, mean: mean, std: std, using: &rng)
    }

    /// Normal samples `mean + std * z` drawn from `rng`.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, using rng: inout SeededRandom) -> Tensor {
        let n = shape.elementCount
        var out = [Float](repeating: 0, count: n)
        for i in 0..<n { out[i] = mean + std * rng.nextNormal() }
        return Tensor(shape: shape, scalars: out)
    }
}
