import Support
import TensorCore

/// Inverted dropout: in training each element is zeroed with probability `p` and the survivors are
/// scaled by 1/(1 − p), so the expected output equals the input; in eval mode it is the identity.
///
/// The masks come from a ``SeededRandom`` stream of `seed` and a call counter: the same seed and the same
/// sequence of calls give the same masks. Built from a multiply by a constant mask tensor, so the
/// gradient is the mask scaled by 1/(1 − p) (autograd of `*`).
public final class Dropout: Module, Layer {
    /// Probability of zeroing an element, in [0, 1).
    public let p: Float
    private let seed: UInt64
    private var calls: UInt64 = 0

    public init(p: Float, seed: UInt64) {
        precondition(p >= 0 && p < 1, "Dropout: p must be in [0, 1), got \(p)")
        self.p = p
        self.seed = seed
        super.init()
    }

    /// The mask of the next training call for `count` elements: 0 or 1/(1 − p).
    func nextMask(count: Int) -> [Float] {
        var random = SeededRandom.stream(seed: seed, index: calls)
        calls &+= 1
        let keep = 1 / (1 - p)
        return (0..<count).map { _ in random.nextUniform() < p ? 0 : keep }
    }

    /// Applies dropout in training mode, the identity in eval mode.
    public func forward(_ input: Tensor) -> Tensor {
        guard isTraining, p > 0 else { return input }
        return input * Tensor(shape: input.shape, scalars: nextMask(count: input.count))
    }
}
