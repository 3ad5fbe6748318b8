import NN
import TensorCore

/// A small anchor-free CenterNet detector on packed raw planes.
///
/// Input: `[B, inputChannels, H/2, W/2]` — the quantizer's output on the R, Gr, Gb, B planes of a W×H
/// mosaic (H and W multiples of 16). Output at stride 4 of the mosaic (`[B, ·, H/4, W/4]`):
/// class heatmap logits (K channels), box size in cells (2: w, h) and sub-cell centre offset (2: x, y).
///
/// Backbone (c = base channels; every conv 3×3, BatchNorm, ReLU):
/// stem c @ ½ → c2 = 2c stride 2 @ ¼ → 2c → 4c stride 2 @ ⅛ → 4c → 4c dilated 2 →
/// upsample ×2, concatenate with the ¼ features → 4c @ ¼; three heads of conv 3×3 (c) + ReLU + conv 1×1.
/// With deep stages (for objects larger than the ⅛ features see): 8c stride 2 @ ¹⁄₁₆ → 8c (→ 8c stride 2 @ ¹⁄₃₂ → 8c,
/// upsampled and merged into ¹⁄₁₆ by a 3×3 conv), upsampled and merged into the ⅛ features (12c → 4c) before the fuse.
public final class CenterNetDetector: Module {
    public let configuration: DetectorConfiguration
    public let stem: Sequential
    public let down1: Sequential
    public let down2: Sequential
    public let context: Sequential
    public let fuse: Sequential
    public let heatmapHead: Sequential
    public let sizeHead: Sequential
    public let offsetHead: Sequential
    /// Deep stages (``DetectorConfiguration/deepStages``): ¹⁄₁₆, ¹⁄₃₂, the ¹⁄₁₆ merge and the ⅛ merge; nil without.
    public let deep16: Sequential?
    public let deep32: Sequential?
    public let merge16: Sequential?
    public let merge8: Sequential?

    /// Builds the network with weights drawn from `seed` (Kaiming-uniform, PyTorch's default).
    public init(configuration: DetectorConfiguration, seed: UInt64) {
        self.configuration = configuration
        let c = configuration.baseChannels
        var next = seed
        func seedNext() -> UInt64 { next &+= 0x9E37_79B9_7F4A_7C15; return next }
        func block(_ inC: Int, _ outC: Int, stride: Int = 1, dilation: Int = 1) -> [any Layer] {
            [Conv2d(inChannels: inC, outChannels: outC, kernelSize: (3, 3), stride: (stride, stride), padding: (dilation, dilation),
                    dilation: (dilation, dilation), bias: false, seed: seedNext()),
             BatchNorm2d(outC), ReLU()]
        }
        func residual(_ channels: Int) -> [any Layer] {
            (0..<configuration.residual).map { _ in ResidualBlock(channels: channels, seed: seedNext()) }
        }
        stem = Sequential(block(configuration.inputChannels, c))
        down1 = Sequential(block(c, 2 * c, stride: 2) + block(2 * c, 2 * c) + residual(2 * c))
        down2 = Sequential(block(2 * c, 4 * c, stride: 2) + block(4 * c, 4 * c) + residual(4 * c))
        context = Sequential(block(4 * c, 4 * c, dilation: 2))
        fuse = Sequential(block(6 * c, 4 * c))
        func head(_ outputs: Int, bias: Float) -> Sequential {
            let last = Conv2d(inChannels: c, outChannels: outputs, kernelSize: (1, 1), bias: true, seed: seedNext())
            if let b = last.bias { b.assign(Tensor.full(b.shape, value: bias)) }
            return Sequential([Conv2d(inChannels: 4 * c, outChannels: c, kernelSize: (3, 3), padding: (1, 1), bias: true, seed: seedNext()),
                               ReLU(), last])
        }
        // Heatmap bias −2.19: an initial foreground probability of 0.1 (CenterNet's prior).
        heatmapHead = head(configuration.classes.count, bias: -2.19)
        sizeHead = head(2, bias: 0)
        offsetHead = head(2, bias: 0)
        let d = configuration.deep
        deep16 = d >= 1 ? Sequential(block(4 * c, 8 * c, stride: 2) + block(8 * c, 8 * c) + residual(8 * c)) : nil
        deep32 = d >= 2 ? Sequential(block(8 * c, 8 * c, stride: 2) + block(8 * c, 8 * c) + residual(8 * c)) : nil
        merge16 = d >= 2 ? Sequential(block(16 * c, 8 * c)) : nil
        merge8 = d >= 1 ? Sequential(block(12 * c, 4 * c)) : nil
        super.init()
    }

    private var folded: CenterNetInference?

    /// The folded channels-last network of the current weights (``CenterNetInference``), built on first use and kept
    /// until the weights may change (``weightsDidChange()``: training mode, a loaded state dict).
    public var inference: CenterNetInference {
        if let folded { return folded }
        let built = CenterNetInference(self)
        folded = built
        return built
    }

    public override func weightsDidChange() {
        folded = nil
        super.weightsDidChange()
    }

    /// The three output maps.
    public struct Output {
        /// `[B, K, h, w]` class heatmap logits.
        public var heatmapLogits: Tensor
        /// `[B, 2, h, w]` box width and height in cells.
        public var size: Tensor
        /// `[B, 2, h, w]` centre offset (x, y) within the cell.
        public var offset: Tensor

        public init(heatmapLogits: Tensor, size: Tensor, offset: Tensor) {
            self.heatmapLogits = heatmapLogits
            self.size = size
            self.offset = offset
        }
    }

    public func forward(_ input: Tensor) -> Output {
        precondition(input.rank == 4 && input.shape[1] == configuration.inputChannels,
                     "CenterNetDetector: input \(input.shape) needs \(configuration.inputChannels) channels")
        let multiple = configuration.planeMultiple
        precondition(input.shape[2] % multiple == 0 && input.shape[3] % multiple == 0,
                     "CenterNetDetector: plane size \(input.shape[2])×\(input.shape[3]) must be multiples of \(multiple)")
        let half = stem(input)
        let quarter = down1(half)
        var eighth = context(down2(quarter))
        if let deep16, let merge8 {
            var sixteenth = deep16(eighth)
            if let deep32, let merge16 {
                sixteenth = merge16(Tensor.concat([sixteenth, deep32(sixteenth).upsampleNearest2d(scale: 2)], axis: 1))
            }
            eighth = merge8(Tensor.concat([eighth, sixteenth.upsampleNearest2d(scale: 2)], axis: 1))
        }
        let fused = fuse(Tensor.concat([quarter, eighth.upsampleNearest2d(scale: 2)], axis: 1))
        return Output(heatmapLogits: heatmapHead(fused), size: sizeHead(fused), offset: offsetHead(fused))
    }
}
