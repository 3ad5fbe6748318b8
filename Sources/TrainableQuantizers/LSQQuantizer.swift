import Foundation
import NN
import Quantization
import TensorCore

/// Learned step size quantization (Esser et al., ICLR 2020), the standard learnable-uniform baseline:
/// code = clamp(round(x̂/s), 0, L − 1) (half to even), the network receives code · s; s is learned with
/// LSQ's gradient (see `StraightThrough.lsq`), scaled by 1/√(elements · (L − 1)).
///
/// The step's learning rate is relative to its size (``ownRelativeRateParameters``, learned in a relative ``ParameterGroup``). LSQ's gradient
/// scale balances step and weight updates under SGD; Adam divides it out and moves s by about the learning
/// rate per step, which at 6–8 bits (s ≈ 0.005) drove s negative and left every code 0 within an epoch.
public final class LSQQuantizer: InputQuantizer {
    /// Step sizes, shape [groups]: [1] (global), [3] (R, G, B) or one per feature, in x̂ units.
    public let step: Parameter

    /// Starts at s = 1/(L − 1) (the uniform grid over [0, 1]) unless `initialStep` is given.
    public convenience init(bits: Int, perColor: Bool = true, initialStep: Float? = nil) {
        self.init(bits: bits, groups: perColor ? 3 : 1, initialStep: initialStep)
    }

    /// - Parameter groups: 1 (global), 3 (R, G, B) or one per feature.
    public init(bits: Int, groups: Int, initialStep: Float? = nil) {
        precondition(groups >= 1, "LSQQuantizer: need at least one group")
        let s = initialStep ?? 1 / Float((1 << bits) - 1)
        step = Parameter(Tensor(shape: [groups], scalars: [Float](repeating: s, count: groups)))
        super.init(bits: bits)
    }

    /// The step is a scale: it learns at a rate relative to its size.
    public override var ownRelativeRateParameters: [Parameter] { [step] }

    /// LSQ's data-driven start: s = 2·mean(x̂)/√(L − 1), per group of samples.
    public func initialize(samples: [[Float]]) {
        precondition(samples.count == step.shape[0], "LSQQuantizer.initialize: need \(step.shape[0]) sample groups")
        let qp = Float(levels - 1)
        step.assign(Tensor(shape: step.shape, scalars: samples.map { v in
            Swift.max(2 * v.reduce(0, +) / Float(Swift.max(v.count, 1)) / qp.squareRoot(), 1e-6)
        }))
    }

    public override func quantize(_ x: Tensor, layout: ChannelLayout) -> Tensor {
        let s = step.value.perChannel(layout.colors)
        let gradScale = 1 / (Float(x.count) * Float(levels - 1)).squareRoot()
        return StraightThrough.lsq(x, step: s, levels: levels, gradScale: gradScale)
    }

    public override func deploySpec() throws -> QuantizerSpec {
        try QuantizerSpec(kind: .lsq, bits: bits, steps: doubles(step.value))
    }
}
