import TensorCore

/// Seeded weight initialisers (PyTorch's defaults, reproducible by seed).
public enum Initializer {
    /// PyTorch's default for conv/linear weights, `kaiming_uniform(a = √5)`:
    /// uniform in `[−b, b)` with `b = 1/√fanIn`, `fanIn = in-channels · kh · kw`.
    public static func kaimingUniformDefault(_ shape: [Int], fanIn: Int, seed: UInt64) -> Tensor {
        let bound = 1 / Float(fanIn).squareRoot()
        return Tensor.uniform(shape, low: -bound, high: bound, seed: seed)
    }
}
