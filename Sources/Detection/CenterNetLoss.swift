import DetectionData
import Foundation
import NN
import TensorCore

/// CenterNet's loss: focal loss on the heatmap + 0.1 · L1 on sizes + 1 · L1 on offsets (at object centres).
///
/// total = focal(heatmap logits `[B, K, h, w]`, Gaussian targets) + 0.1 · Σ|ŝ − s|·mask / n + 1 · Σ|ô − o|·mask / n,
/// with sizes and offsets `[B, 2, maxObjects]` gathered at the objects' centre cells (stride-4 units) and
/// n = max(number of objects, 1). `heatmap`, `size` and `offset` are the three terms' values for logging.
public struct CenterNetLoss {
    public var total: Tensor
    public var heatmap: Float
    public var size: Float
    public var offset: Float

    public static let sizeWeight: Float = 0.1
    public static let offsetWeight: Float = 1

    public init(output: CenterNetDetector.Output, targets: CenterNetTargets) {
        let focal = Loss.focal(output.heatmapLogits, targets.heatmap)
        let b = output.size.shape[0], cells = output.size.shape[2] * output.size.shape[3]
        let indexShape = [b, 2, targets.maxObjects]
        let predictedSize = output.size.reshaped([b, 2, cells]).gather(axis: 2, indices: targets.indices, indexShape: indexShape)
        let predictedOffset = output.offset.reshaped([b, 2, cells]).gather(axis: 2, indices: targets.indices, indexShape: indexShape)
        let count = Swift.max(targets.mask.scalars.reduce(0, +), 1)
        let sizeLoss = ((predictedSize - targets.size).abs() * targets.mask).sum() / Tensor(count)
        let offsetLoss = ((predictedOffset - targets.offset).abs() * targets.mask).sum() / Tensor(count)
        total = focal + sizeLoss * CenterNetLoss.sizeWeight + offsetLoss * CenterNetLoss.offsetWeight
        heatmap = focal.item
        size = sizeLoss.item
        offset = offsetLoss.item
    }
}
