import DetectionData
import Foundation
import NN
import TensorCore

/// Training targets of a batch for ``CenterNetDetector``: Gaussian-splatted class heatmaps, and at each
/// object's centre cell its size and sub-cell offset.
///
/// Geometry (mosaic pixels, VOC boxes): a box [xmin, xmax] covers the continuous span [xmin − 1, xmax];
/// its centre c = (xmin − 1 + xmax)/2 lies in cell ⌊c/4⌋ with offset c/4 − ⌊c/4⌋; its size target is
/// (xmax − xmin + 1)/4 cells. The Gaussian radius is CenterNet's (the largest shift keeping IoU ≥ 0.7),
/// σ = (2r + 1)/6; overlapping Gaussians of a class keep the maximum.
public struct CenterNetTargets {
    /// `[B, K, h, w]`, peaks exactly 1 at object centres.
    public var heatmap: Tensor
    /// Flat cell index `y·w + x` of each object, `[B, 2, maxObjects]` (repeated for the two channels).
    public var indices: [Int]
    /// `[B, 2, maxObjects]` size targets (w, h) in cells.
    public var size: Tensor
    /// `[B, 2, maxObjects]` offset targets (x, y) in cells.
    public var offset: Tensor
    /// `[B, 2, maxObjects]`, 1 where an object is present.
    public var mask: Tensor
    public var maxObjects: Int

    /// Builds targets for mosaics of `mosaicWidth × mosaicHeight` (multiples of 4).
    public init(objects: [[GroundTruthObject]], classes: [String], mosaicWidth: Int, mosaicHeight: Int) {
        let stride = Double(DetectorConfiguration.outputStride)
        let w = mosaicWidth / DetectorConfiguration.outputStride, h = mosaicHeight / DetectorConfiguration.outputStride
        let k = classes.count, b = objects.count
        let labels = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        maxObjects = max(1, objects.map(\.count).max() ?? 1)
        var heat = [Float](repeating: 0, count: b * k * h * w)
        var indices = [Int](repeating: 0, count: b * 2 * maxObjects)
        var size = [Float](repeating: 0, count: b * 2 * maxObjects), offset = size, mask = size
        for (n, boxes) in objects.enumerated() {
            for (slot, object) in boxes.enumerated() {
                guard let label = labels[object.className] else { continue }
                let cx = (object.box.xmin - 1 + object.box.xmax) / 2 / stride, cy = (object.box.ymin - 1 + object.box.ymax) / 2 / stride
                let ix = min(max(Int(cx.rounded(.down)), 0), w - 1), iy = min(max(Int(cy.rounded(.down)), 0), h - 1)
                let bw = object.box.width / stride, bh = object.box.height / stride
                let radius = max(0, Int(CenterNetTargets.gaussianRadius(height: bh, width: bw, minOverlap: 0.7)))
                CenterNetTargets.splat(&heat, base: (n * k + label) * h * w, width: w, height: h, x: ix, y: iy, radius: radius)
                for channel in 0..<2 {
                    let t = (n * 2 + channel) * maxObjects + slot
                    indices[t] = iy * w + ix
                    mask[t] = 1
                    size[t] = Float(channel == 0 ? bw : bh)
                    offset[t] = Float(channel == 0 ? cx - Double(ix) : cy - Double(iy))
                }
            }
        }
        heatmap = Tensor(shape: [b, k, h, w], scalars: heat)
        self.indices = indices
        self.size = Tensor(shape: [b, 2, maxObjects], scalars: size)
        self.offset = Tensor(shape: [b, 2, maxObjects], scalars: offset)
        self.mask = Tensor(shape: [b, 2, maxObjects], scalars: mask)
    }

    /// CenterNet's Gaussian radius: the smallest of the three radii at which a corner shift keeps IoU ≥ `minOverlap`.
    public static func gaussianRadius(height: Double, width: Double, minOverlap: Double) -> Double {
        let a1 = 1.0, b1 = height + width, c1 = width * height * (1 - minOverlap) / (1 + minOverlap)
        let r1 = (b1 + (b1 * b1 - 4 * a1 * c1).squareRoot()) / 2
        let a2 = 4.0, b2 = 2 * (height + width), c2 = (1 - minOverlap) * width * height
        let r2 = (b2 + (b2 * b2 - 4 * a2 * c2).squareRoot()) / 2
        let a3 = 4 * minOverlap, b3 = -2 * minOverlap * (height + width), c3 = (minOverlap - 1) * width * height
        let r3 = (b3 + (b3 * b3 - 4 * a3 * c3).squareRoot()) / 2
        return min(r1, r2, r3)
    }

    /// Draws exp(−(dx² + dy²)/(2σ²)), σ = (2r + 1)/6, into one heatmap plane, keeping the maximum.
    static func splat(_ heat: inout [Float], base: Int, width: Int, height: Int, x: Int, y: Int, radius: Int) {
        let sigma = Double(2 * radius + 1) / 6
        for dy in -radius...radius {
            let yy = y + dy
            guard yy >= 0, yy < height else { continue }
            for dx in -radius...radius {
                let xx = x + dx
                guard xx >= 0, xx < width else { continue }
                let value = Float(exp(-Double(dx * dx + dy * dy) / (2 * sigma * sigma)))
                let i = base + yy * width + xx
                heat[i] = max(heat[i], dx == 0 && dy == 0 ? 1 : value)
            }
        }
    }
}
