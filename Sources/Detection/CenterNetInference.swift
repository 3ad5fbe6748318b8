import NN
import TensorCore

/// The inference fast path of a ``CenterNetDetector``: the same maps from channels-last activations end to end,
/// batch normalisation folded into the convolutions, bias, residual and ReLU fused into each convolution's output
/// pass, and the three heads' first convolutions merged into one (their 1×1 outputs into one block-diagonal 1×1).
///
/// Folding (eval-mode statistics): for a convolution W followed by BatchNorm (γ, β, running μ, σ², ε),
/// s = γ / √(σ² + ε), W′ = W · s per output channel and b′ = β − μ · s (+ s · the convolution's own bias).
/// Built from the detector's current weights; rebuild it after they change. Outputs equal ``CenterNetDetector/forward(_:)``
/// in eval mode up to float rounding (a test bounds the difference).
public final class CenterNetInference {
    /// One layer of a stage: a fused convolution, or a residual block (two, the second adding the block's input).
    enum Step {
        case conv(PreparedConvolution)
        case residual(PreparedConvolution, PreparedConvolution)
    }

    public let configuration: DetectorConfiguration
    let stem: [Step], down1: [Step], down2: [Step], context: [Step], fuse: [Step]
    let deep16: [Step]?, deep32: [Step]?, merge16: [Step]?, merge8: [Step]?
    /// The three heads' 3×3 convolutions as one (`3c` outputs: heatmap, size, offset), then their 1×1 outputs.
    let heads: PreparedConvolution, outputs: PreparedConvolution

    /// Folds `detector` (its weights and running statistics now).
    public init(_ detector: CenterNetDetector) {
        configuration = detector.configuration
        stem = Self.steps(detector.stem)
        down1 = Self.steps(detector.down1)
        down2 = Self.steps(detector.down2)
        context = Self.steps(detector.context)
        fuse = Self.steps(detector.fuse)
        deep16 = detector.deep16.map(Self.steps)
        deep32 = detector.deep32.map(Self.steps)
        merge16 = detector.merge16.map(Self.steps)
        merge8 = detector.merge8.map(Self.steps)
        let headList = [detector.heatmapHead, detector.sizeHead, detector.offsetHead]
        func conv(_ head: Sequential, _ i: Int) -> Conv2d {
            guard head.layers.count == 3, let conv = head.layers[i] as? Conv2d else {
                preconditionFailure("CenterNetInference: a head must be conv 3×3, ReLU, conv 1×1")
            }
            return conv
        }
        let first = headList.map { conv($0, 0) }, last = headList.map { conv($0, 2) }
        let c = first[0].weight.shape[0], inC = first[0].weight.shape[1]
        heads = PreparedConvolution(weight: Tensor.concat(first.map(\.weight.value), axis: 0),
                                    bias: first.flatMap { $0.bias?.value.scalars ?? [Float](repeating: 0, count: c) },
                                    stride: first[0].stride, padding: first[0].padding, dilation: first[0].dilation, relu: true)
        precondition(inC == first[1].weight.shape[1] && inC == first[2].weight.shape[1], "CenterNetInference: heads differ in input width")
        // Block-diagonal 1×1: output k of head h reads only head h's c channels.
        let counts = last.map { $0.weight.shape[0] }, total = counts.reduce(0, +)
        var w = [Float](repeating: 0, count: total * 3 * c)
        var row = 0
        for (h, conv) in last.enumerated() {
            let values = conv.weight.value.scalars
            for k in 0..<counts[h] {
                for j in 0..<c { w[(row + k) * 3 * c + h * c + j] = values[k * c + j] }
            }
            row += counts[h]
        }
        outputs = PreparedConvolution(weight: Tensor(shape: [total, 3 * c, 1, 1], scalars: w),
                                      bias: last.flatMap { $0.bias?.value.scalars ?? [Float](repeating: 0, count: $0.weight.shape[0]) }, relu: false)
    }

    /// The detector's maps for NCHW input `[B, inputChannels, H, W]` (H, W multiples of the plane multiple).
    public func forward(_ input: Tensor) -> CenterNetDetector.Output {
        precondition(input.rank == 4 && input.shape[1] == configuration.inputChannels,
                     "CenterNetInference: input \(input.shape) needs \(configuration.inputChannels) channels")
        let multiple = configuration.planeMultiple
        precondition(input.shape[2] % multiple == 0 && input.shape[3] % multiple == 0,
                     "CenterNetInference: plane size \(input.shape[2])×\(input.shape[3]) must be multiples of \(multiple)")
        let half = Self.run(stem, ChannelsLastMaps(input))
        let quarter = Self.run(down1, half)
        var eighth = Self.run(context, Self.run(down2, quarter))
        if let deep16, let merge8 {
            var sixteenth = Self.run(deep16, eighth)
            if let deep32, let merge16 {
                sixteenth = Self.run(merge16, .concatenated([sixteenth, Self.run(deep32, sixteenth).upsampledTwice()]))
            }
            eighth = Self.run(merge8, .concatenated([eighth, sixteenth.upsampledTwice()]))
        }
        let fused = Self.run(fuse, .concatenated([quarter, eighth.upsampledTwice()]))
        let maps = outputs(heads(fused))
        let k = configuration.classes.count
        return CenterNetDetector.Output(heatmapLogits: maps.tensor(channels: 0..<k), size: maps.tensor(channels: k..<(k + 2)),
                                        offset: maps.tensor(channels: (k + 2)..<(k + 4)))
    }

    static func run(_ steps: [Step], _ x: ChannelsLastMaps) -> ChannelsLastMaps {
        steps.reduce(x) { maps, step in
            switch step {
            case .conv(let conv): return conv(maps)
            case .residual(let a, let b): return b(a(maps), residual: maps)
            }
        }
    }

    /// A stage's layers as fused steps: each convolution takes the BatchNorm and ReLU that follow it.
    static func steps(_ stage: Sequential) -> [Step] {
        var list: [Step] = []
        var i = 0
        let layers = stage.layers
        while i < layers.count {
            if let block = layers[i] as? ResidualBlock {
                let body = steps(block.body)
                guard body.count == 2, case .conv(let a) = body[0], case .conv(let b) = body[1] else {
                    preconditionFailure("CenterNetInference: a residual block must be conv-BN-ReLU-conv-BN")
                }
                // The block's final ReLU comes after the sum: the second convolution applies it then.
                list.append(.residual(a, b.withReLU(true)))
                i += 1
                continue
            }
            guard let conv = layers[i] as? Conv2d else { preconditionFailure("CenterNetInference: unexpected layer \(type(of: layers[i]))") }
            i += 1
            var norm: BatchNorm2d?
            if i < layers.count, let bn = layers[i] as? BatchNorm2d { norm = bn; i += 1 }
            var relu = false
            if i < layers.count, layers[i] is ReLU { relu = true; i += 1 }
            list.append(.conv(fold(conv, norm, relu: relu)))
        }
        return list
    }

    /// Conv (+ BatchNorm in eval mode) as one prepared convolution.
    static func fold(_ conv: Conv2d, _ norm: BatchNorm2d?, relu: Bool) -> PreparedConvolution {
        precondition(conv.groups == 1, "CenterNetInference: grouped convolutions are not folded")
        let cout = conv.weight.shape[0], per = conv.weight.value.count / cout
        var weight = conv.weight.value.scalars
        var bias = conv.bias?.value.scalars ?? [Float](repeating: 0, count: cout)
        if let norm {
            let gamma = norm.weight.value.scalars, beta = norm.bias.value.scalars
            let mean = norm.runningMean.value.scalars, variance = norm.runningVar.value.scalars
            for o in 0..<cout {
                let scale = gamma[o] / (variance[o] + norm.eps).squareRoot()
                for j in 0..<per { weight[o * per + j] *= scale }
                bias[o] = beta[o] + (bias[o] - mean[o]) * scale
            }
        }
        return PreparedConvolution(weight: Tensor(shape: conv.weight.shape, scalars: weight), bias: bias, stride: conv.stride,
                                   padding: conv.padding, dilation: conv.dilation, relu: relu)
    }
}
