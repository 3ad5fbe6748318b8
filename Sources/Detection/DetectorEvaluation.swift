import DetectionData
import Foundation
import RawIO

/// Runs a detector over a dataset split and scores it (VOC AP@0.5 and COCO AP@[.5:.95]).
public enum DetectorEvaluation {
    /// Detections for every image of `dataset` (decoded one at a time) and the evaluation against its ground truth.
    public static func run(_ detector: RawDetector, on dataset: LoadedDataset) throws -> (result: EvaluationResult, detections: [DetectedObject]) {
        var detections: [DetectedObject] = []
        var truth: [String: [GroundTruthObject]] = [:]
        for image in dataset.images {
            let mosaic = try RawDecoder.decode(path: image.rawPath, options: dataset.decode)
            try detector.checkMemory(for: mosaic, path: image.rawPath)
            detections += detector.detect(mosaic, name: image.id)
            truth[image.id] = image.objects
        }
        return (AveragePrecision.evaluate(groundTruth: truth, detections: detections, classes: detector.classes), detections)
    }
}
