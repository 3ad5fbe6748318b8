import DetectionData
import Foundation
import RawIO
import Bayer

/// Runs a detector over a dataset split and scores it (VOC AP@0.5 and COCO AP@[.5:.95]).
public enum DetectorEvaluation {
    /// Detections for every image of `dataset` (decoded one at a time) and the evaluation against its ground truth.
    /// `transform(mosaic, index)` changes each decoded mosaic first (e.g. a seeded re-exposure for a low-light test).
    public static func run(_ detector: RawDetector, on dataset: LoadedDataset,
                           transform: ((BayerImage, Int) -> BayerImage)? = nil) throws -> (result: EvaluationResult, detections: [DetectedObject]) {
        var detections: [DetectedObject] = []
        var truth: [String: [GroundTruthObject]] = [:]
        for (index, image) in dataset.images.enumerated() {
            var mosaic = try RawDecoder.decode(path: image.rawPath, options: dataset.decode)
            if let transform { mosaic = transform(mosaic, index) }
            try detector.checkMemory(for: mosaic, path: image.rawPath)
            detections += detector.detect(mosaic, name: image.id)
            truth[image.id] = image.objects
        }
        return (AveragePrecision.evaluate(groundTruth: truth, detections: detections, classes: detector.classes), detections)
    }
}
