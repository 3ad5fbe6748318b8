import Bayer
import NN
import Quantization
import TensorCore

/// What each input channel of a quantizer is: its CFA colour (selects per-colour parameters) and its
/// ADC range white − black (the log curve needs it).
public struct ChannelLayout: Sendable, Equatable {
    /// Colour index per channel: 0 R, 1 G, 2 B.
    public var colors: [Int]
    /// White − black per channel, ADC units.
    public var ranges: [Float]

    public init(colors: [Int], ranges: [Float]) {
        precondition(colors.count == ranges.count, "ChannelLayout: \(colors.count) colours but \(ranges.count) ranges")
        self.colors = colors
        self.ranges = ranges
    }

    /// The four packed planes R, Gr, Gb, B (see `PlanePacking`) with one ADC range for all.
    public static func bayerPlanes(range: Float) -> ChannelLayout { ChannelLayout(colors: [0, 1, 1, 2], ranges: [range, range, range, range]) }

    /// The four packed planes R, Gr, Gb, B of `image` with their colours and each plane's ADC range,
    /// white − black of the 2×2 position it comes from.
    public static func bayerPlanes(of image: BayerImage) -> ChannelLayout {
        ChannelLayout(colors: [0, 1, 1, 2], ranges: PlanePacking.sourcePositions(image.cfa).map { Float(image.whiteLevel - image.blackLevels[$0]) })
    }
}

/// The train face of an input quantizer: a differentiable map on the tensor core from normalised input
/// x̂ ∈ [0, 1] (layout `[batch, channels, height, width]`, one channel per entry of a ``ChannelLayout``)
/// to what the network receives (`[batch, channels · valuesPerChannel, height, width]`).
///
/// In eval mode the output equals the deploy face — `deploySpec()`'s encoder followed by its network
/// decoder — bit for bit. Subclasses implement ``quantize(_:layout:)`` and ``deploySpec()``.
open class InputQuantizer: Module {
    /// Output bits N.
    public let bits: Int

    public init(bits: Int) {
        precondition((1...8).contains(bits), "InputQuantizer: bits \(bits) outside 1...8")
        self.bits = bits
        super.init()
    }

    /// How the curve families (fixed curves, learned γ, learned log, γ-log, monotone) step to codes in training
    /// mode; the others ignore it. Eval mode is always the hard code.
    public var codeStep: CodeStep = .straightThrough
    /// The seed of the ``CodeStep/noise`` stream.
    public var codeStepSeed: UInt64 = 0
    private var codeStepCalls: UInt64 = 0

    /// Restarts the noise stream at `epoch`'s own part of it (draw indices epoch·2³², …), so a run resumed at an
    /// epoch draws the noise an uninterrupted one does.
    public func startCodeStepStream(epoch: Int) { codeStepCalls = UInt64(epoch) << 32 }

    /// The index of the next noise draw of the code step.
    func nextCodeStepCall() -> UInt64 {
        defer { codeStepCalls &+= 1 }
        return codeStepCalls
    }

    /// Number of codes L = 2^N.
    public var levels: Int { 1 << bits }

    /// Values per input channel the network receives (2^N − 1 for Bw-SQ, else 1).
    open var valuesPerChannel: Int { 1 }

    /// Channels the network receives for `inputChannels` input planes.
    open func outputChannels(inputChannels: Int) -> Int { inputChannels * valuesPerChannel }

    /// The differentiable forward pass.
    open func quantize(_ x: Tensor, layout: ChannelLayout) -> Tensor {
        preconditionFailure("\(type(of: self)) must override quantize(_:layout:)")
    }

    /// The deploy face: the spec whose sensor tables and network decoder this quantizer equals in eval mode.
    open func deploySpec() throws -> QuantizerSpec {
        preconditionFailure("\(type(of: self)) must override deploySpec()")
    }

    /// Called once per epoch by a trainer (temperature schedules use it).
    open func startEpoch(_ epoch: Int, of epochs: Int) {}

    /// Called after each optimizer step (projections such as keeping thresholds sorted).
    open func afterOptimizerStep() {}

    public func callAsFunction(_ x: Tensor, layout: ChannelLayout) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == layout.colors.count,
                     "\(type(of: self)): input \(x.shape) does not match \(layout.colors.count) channels")
        return quantize(x, layout: layout)
    }
}

extension Tensor {
    /// Per-channel values `[1, C, 1, 1]` gathered from a parameter of 1 (global) or 3 (R, G, B) entries.
    func perChannel(_ colors: [Int]) -> Tensor {
        let indices = count == 1 ? [Int](repeating: 0, count: colors.count) : colors
        return gather(axis: 0, indices: indices, indexShape: [colors.count]).reshaped([1, colors.count, 1, 1])
    }
}

/// Double values of a 1- or 3-element tensor, for a spec.
func doubles(_ t: Tensor) -> [Double] { t.scalars.map(Double.init) }
