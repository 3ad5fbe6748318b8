/// Average precision of detections against ground truth, by the two standard protocols.
///
/// - **VOC AP@0.5** (`vocAveragePrecision`): the PASCAL VOC devkit's `voc_eval` (VOC2010+ all-point
///   interpolation). Detections of a class are ranked by score (ties keep their input order); each is a
///   true positive if its best-overlapping ground truth of that image has IoU > 0.5, is not difficult and
///   was not matched before; matching a difficult object counts as neither. AP is the area under the
///   monotone precision envelope of the precision–recall curve. Recall counts non-difficult objects.
/// - **COCO AP@[.5:.95]** (`cocoAveragePrecision`): pycocotools' `COCOeval` for boxes with area range
///   "all" and at most 100 detections per image, difficult objects as ignored regions; precision
///   sampled at 101 recall points and averaged over IoU thresholds 0.50, 0.55, …, 0.95.
///
/// Classes without a single non-difficult ground-truth object have no AP (nil) and are left out of means.
/// Detections on images without ground truth are false positives.
public enum AveragePrecision {
    /// Evaluates detections for `classes` over the images of `groundTruth` (image name → objects; images
    /// without objects are listed with an empty array).
    public static func evaluate(groundTruth: [String: [GroundTruthObject]], detections: [DetectedObject],
                                classes: [String]) -> EvaluationResult {
        var ap50: [String: Double?] = [:], coco: [String: Double?] = [:]
        for name in classes {
            ap50[name] = vocAveragePrecision(groundTruth: groundTruth, detections: detections, className: name, iouThreshold: 0.5)
            coco[name] = cocoAveragePrecision(groundTruth: groundTruth, detections: detections, className: name)
        }
        func mean(_ values: [String: Double?]) -> Double? {
            let defined = values.values.compactMap { $0 }
            return defined.isEmpty ? nil : defined.reduce(0, +) / Double(defined.count)
        }
        // COCO's overall AP averages every (threshold, recall, class) cell; with equal cells per class
        // this equals the mean of the per-class APs.
        var bySize: [String: [String: Double?]] = [:]
        for size in ObjectSize.allCases {
            var perClass: [String: Double?] = [:]
            for name in classes { perClass[name] = vocAveragePrecision(groundTruth: groundTruth, detections: detections, className: name, size: size) }
            bySize[size.rawValue] = perClass
        }
        return EvaluationResult(mAP50: mean(ap50), mAP: mean(coco), ap50PerClass: ap50, apPerClass: coco, ap50PerSize: bySize)
    }

    /// VOC AP@0.5 of one class restricted to objects of one size, by COCO's area-range rule: ground truth of
    /// another size is ignored (as difficult objects are), and so is a detection of another size that matches
    /// nothing. Box areas in pixels (COCO takes the ground truth's segment area; boxes are all a raw set has).
    public static func vocAveragePrecision(groundTruth: [String: [GroundTruthObject]], detections: [DetectedObject],
                                           className: String, size: ObjectSize) -> Double? {
        let range = size.areaRange
        let restricted = groundTruth.mapValues { objects in
            objects.map { o in
                GroundTruthObject(className: o.className, box: o.box, difficult: o.difficult || !range.contains(o.box.width * o.box.height))
            }
        }
        return vocAveragePrecision(groundTruth: restricted, detections: detections, className: className, iouThreshold: 0.5,
                                   ignoresUnmatched: { !range.contains($0.box.width * $0.box.height) })
    }

    // MARK: VOC

    /// VOC devkit AP for one class at `iouThreshold` (strictly greater overlap needed).
    /// `ignoresUnmatched`: a detection that matches no object (or only one matched before) and satisfies it
    /// counts as neither true nor false positive (nil: none is ignored).
    public static func vocAveragePrecision(groundTruth: [String: [GroundTruthObject]], detections: [DetectedObject],
                                           className: String, iouThreshold: Double,
                                           ignoresUnmatched: ((DetectedObject) -> Bool)? = nil) -> Double? {
        var objects: [String: [GroundTruthObject]] = [:]
        var positives = 0
        for (image, all) in groundTruth {
            let mine = all.filter { $0.className == className }
            objects[image] = mine
            positives += mine.filter { !$0.difficult }.count
        }
        guard positives > 0 else { return nil }
        let ranked = stableRanking(detections.filter { $0.className == className })
        var matched: [String: [Bool]] = objects.mapValues { [Bool](repeating: false, count: $0.count) }
        var tp = [Double](), fp = [Double]()
        for detection in ranked {
            var best = -Double.infinity, bestIndex = -1
            for (j, object) in (objects[detection.image] ?? []).enumerated() {
                let overlap = detection.box.vocIoU(object.box)
                if overlap > best { best = overlap; bestIndex = j }
            }
            var isTP = 0.0, isFP = 0.0
            if bestIndex >= 0, best > iouThreshold {
                if !objects[detection.image]![bestIndex].difficult {
                    if !matched[detection.image]![bestIndex] {
                        isTP = 1
                        matched[detection.image]![bestIndex] = true
                    } else {
                        isFP = 1
                    }
                }
            } else {
                isFP = 1
            }
            if isFP == 1, ignoresUnmatched?(detection) == true { continue }
            tp.append(isTP)
            fp.append(isFP)
        }
        var cumulativeTP = 0.0, cumulativeFP = 0.0
        var recall = [Double](), precision = [Double]()
        for k in 0..<tp.count {
            cumulativeTP += tp[k]
            cumulativeFP += fp[k]
            recall.append(cumulativeTP / Double(positives))
            precision.append(cumulativeTP / max(cumulativeTP + cumulativeFP, Double.ulpOfOne))
        }
        let mrec = [0] + recall + [1], mpre = [0] + precision + [0]
        var envelope = mpre
        for i in stride(from: envelope.count - 1, to: 0, by: -1) { envelope[i - 1] = max(envelope[i - 1], envelope[i]) }
        var ap = 0.0
        for i in 0..<(mrec.count - 1) where mrec[i + 1] != mrec[i] { ap += (mrec[i + 1] - mrec[i]) * envelope[i + 1] }
        return ap
    }

    /// Detections sorted by descending score; equal scores keep their input order.
    static func stableRanking(_ detections: [DetectedObject]) -> [DetectedObject] {
        detections.enumerated().sorted { a, b in
            a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
        }.map(\.element)
    }

    // MARK: COCO

    /// IoU thresholds 0.50:0.05:0.95, computed as numpy's `linspace(.5, .95, 10)`.
    public static let cocoIoUThresholds: [Double] = linspace(0.5, 0.95, 10)
    /// Recall sampling points 0:0.01:1, as numpy's `linspace(0, 1, 101)`.
    public static let cocoRecallThresholds: [Double] = linspace(0, 1, 101)
    public static let cocoMaxDetections = 100

    static func linspace(_ start: Double, _ stop: Double, _ count: Int) -> [Double] {
        let step = (stop - start) / Double(count - 1)
        return (0..<count).map { $0 == count - 1 ? stop : Double($0) * step + start }
    }

    /// pycocotools' AP@[.5:.95] for one class (nil without non-ignored ground truth).
    public static func cocoAveragePrecision(groundTruth: [String: [GroundTruthObject]], detections: [DetectedObject],
                                            className: String) -> Double? {
        let thresholds = cocoIoUThresholds
        // Per image (in sorted order, as COCOeval's image ids): match, then concatenate.
        var scores: [Double] = []
        var matchedAt: [[Bool]] = thresholds.map { _ in [] }
        var ignoredAt: [[Bool]] = thresholds.map { _ in [] }
        var positives = 0
        let byImage = Dictionary(grouping: detections.filter { $0.className == className }, by: \.image)
        let images = Set(groundTruth.keys).union(byImage.keys).sorted()
        for image in images {
            // Ground truth with ignored (difficult) objects last, as COCOeval sorts them.
            let objects = (groundTruth[image] ?? []).filter { $0.className == className }
            let gts = objects.filter { !$0.difficult } + objects.filter(\.difficult)
            positives += objects.filter { !$0.difficult }.count
            let dts = Array(stableRanking(byImage[image] ?? []).prefix(cocoMaxDetections))
            guard !gts.isEmpty || !dts.isEmpty else { continue }
            let ious = dts.map { d in gts.map { d.box.cocoIoU($0.box) } }
            for (t, threshold) in thresholds.enumerated() {
                var gtMatched = [Bool](repeating: false, count: gts.count)
                for (di, _) in dts.enumerated() {
                    var best = min(threshold, 1 - 1e-10), match = -1
                    for gi in 0..<gts.count {
                        if gtMatched[gi] { continue }
                        if match > -1, !gts[match].difficult, gts[gi].difficult { break }
                        if ious[di][gi] < best { continue }
                        best = ious[di][gi]
                        match = gi
                    }
                    if match >= 0 {
                        gtMatched[match] = true
                        matchedAt[t].append(true)
                        ignoredAt[t].append(gts[match].difficult)
                    } else {
                        matchedAt[t].append(false)
                        ignoredAt[t].append(false)
                    }
                }
            }
            scores += dts.map(\.score)
        }
        guard positives > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        var total = 0.0
        for t in 0..<thresholds.count {
            var tp = 0.0, fp = 0.0
            var recall: [Double] = [], precision: [Double] = []
            for k in order where !ignoredAt[t][k] {
                if matchedAt[t][k] { tp += 1 } else { fp += 1 }
                recall.append(tp / Double(positives))
                precision.append(tp / (fp + tp + Double.ulpOfOne))
            }
            // pycocotools keeps ignored detections in the arrays with tp = fp unchanged: the cumulative
            // sums repeat, which leaves the sampled precision unchanged; we drop them up front.
            for i in stride(from: precision.count - 1, to: 0, by: -1) where precision[i] > precision[i - 1] {
                precision[i - 1] = precision[i]
            }
            var sampled = 0.0
            for r in cocoRecallThresholds {
                // searchsorted(recall, r, side: left): the first index with recall ≥ r.
                if let index = recall.firstIndex(where: { $0 >= r }) { sampled += precision[index] }
            }
            total += sampled / Double(cocoRecallThresholds.count)
        }
        return total / Double(thresholds.count)
    }
}

/// Detection quality: VOC AP@0.5 and COCO-style AP@[.5:.95], per class and averaged.
public struct EvaluationResult: Codable, Equatable, Sendable {
    /// Mean over classes of VOC AP@0.5; nil when no class has ground truth.
    public var mAP50: Double?
    /// Mean over classes of COCO-style AP@[.5:.95].
    public var mAP: Double?
    public var ap50PerClass: [String: Double?]
    public var apPerClass: [String: Double?]
    /// VOC AP@0.5 by object size (``ObjectSize`` raw value → class → AP); nil in results written before it.
    public var ap50PerSize: [String: [String: Double?]]?
}

/// COCO's object sizes by box area in pixels: small < 32², medium 32²…96², large > 96².
public enum ObjectSize: String, CaseIterable, Codable, Sendable {
    case small, medium, large

    /// The area range, pixels² (COCO's bounds: [0, 32²], [32², 96²], [96², ∞)).
    public var areaRange: ClosedRange<Double> {
        switch self {
        case .small: 0...1024
        case .medium: 1024...9216
        case .large: 9216...Double.greatestFiniteMagnitude
        }
    }
}
