import DetectionData
import Foundation
import TensorCore

/// Turns ``CenterNetDetector`` outputs into boxes: 3×3 max-pool peak picking on the class heatmaps, the
/// `topK` strongest peaks above `scoreThreshold`, boxes from size and offset, then per-class NMS.
public struct DetectionDecoding: Sendable {
    public var topK = 100
    public var scoreThreshold: Float = 0.01
    /// IoU above which a lower-scored box of the same class is suppressed.
    public var nmsIoU = 0.5

    public init(topK: Int = 100, scoreThreshold: Float = 0.01, nmsIoU: Double = 0.5) {
        self.topK = topK
        self.scoreThreshold = scoreThreshold
        self.nmsIoU = nmsIoU
    }

    /// Detections of image `n` of the batch, boxes in mosaic pixels (VOC convention) clipped to the mosaic.
    public func decode(_ output: CenterNetDetector.Output, batchIndex n: Int, classes: [String], image: String,
                       mosaicWidth: Int, mosaicHeight: Int) -> [DetectedObject] {
        let k = output.heatmapLogits.shape[1], h = output.heatmapLogits.shape[2], w = output.heatmapLogits.shape[3]
        let heat = output.heatmapLogits.scalars, size = output.size.scalars, offset = output.offset.scalars
        let plane = h * w
        var peaks: [(score: Float, label: Int, cell: Int)] = []
        for label in 0..<k {
            let base = (n * k + label) * plane
            for y in 0..<h {
                for x in 0..<w {
                    let v = heat[base + y * w + x]
                    var isPeak = true
                    for dy in -1...1 where isPeak {
                        for dx in -1...1 {
                            let yy = y + dy, xx = x + dx
                            if (dy != 0 || dx != 0), yy >= 0, yy < h, xx >= 0, xx < w, heat[base + yy * w + xx] > v { isPeak = false; break }
                        }
                    }
                    guard isPeak else { continue }
                    let score = 1 / (1 + Foundation.exp(-v))
                    if score >= scoreThreshold { peaks.append((score, label, y * w + x)) }
                }
            }
        }
        peaks.sort { $0.score != $1.score ? $0.score > $1.score : ($0.label, $0.cell) < ($1.label, $1.cell) }
        let stride = Double(DetectorConfiguration.outputStride)
        let detections: [DetectedObject] = peaks.prefix(topK).map { peak in
            let x = peak.cell % w, y = peak.cell / w
            let sizeBase = n * 2 * plane
            let cx = (Double(x) + Double(offset[sizeBase + peak.cell])) * stride
            let cy = (Double(y) + Double(offset[sizeBase + plane + peak.cell])) * stride
            let bw = max(Double(size[sizeBase + peak.cell]), 0.25) * stride, bh = max(Double(size[sizeBase + plane + peak.cell]), 0.25) * stride
            let box = BoundingBox(xmin: max(cx - bw / 2 + 1, 1), ymin: max(cy - bh / 2 + 1, 1),
                                  xmax: min(cx + bw / 2, Double(mosaicWidth)), ymax: min(cy + bh / 2, Double(mosaicHeight)))
            return DetectedObject(image: image, className: classes[peak.label], score: Double(peak.score), box: box)
        }
        return NonMaximumSuppression.perClass(detections, iouThreshold: nmsIoU)
    }
}

/// Greedy non-maximum suppression.
public enum NonMaximumSuppression {
    /// Keeps, per class, each box unless a kept box of the same class with a higher score overlaps it by
    /// more than `iouThreshold` (VOC IoU). Output sorted by descending score (stable).
    public static func perClass(_ detections: [DetectedObject], iouThreshold: Double) -> [DetectedObject] {
        let ranked = detections.enumerated().sorted { a, b in
            a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
        }.map(\.element)
        var kept: [DetectedObject] = []
        for candidate in ranked where !kept.contains(where: { $0.className == candidate.className && $0.box.vocIoU(candidate.box) > iouThreshold }) {
            kept.append(candidate)
        }
        return kept
    }
}
