/// An axis-aligned box in mosaic pixels, VOC convention: 1-based, inclusive pixel indices
/// (a box covering columns 0…9 of the image has xmin = 1, xmax = 10).
public struct BoundingBox: Codable, Equatable, Hashable, Sendable {
    public var xmin: Double
    public var ymin: Double
    public var xmax: Double
    public var ymax: Double

    public init(xmin: Double, ymin: Double, xmax: Double, ymax: Double) {
        self.xmin = xmin
        self.ymin = ymin
        self.xmax = xmax
        self.ymax = ymax
    }

    /// Width and height counting whole pixels: xmax − xmin + 1.
    public var width: Double { xmax - xmin + 1 }
    public var height: Double { ymax - ymin + 1 }

    /// Intersection over union as the VOC devkit computes it (inclusive pixels, +1 on each side).
    public func vocIoU(_ other: BoundingBox) -> Double {
        let iw = max(min(xmax, other.xmax) - max(xmin, other.xmin) + 1, 0)
        let ih = max(min(ymax, other.ymax) - max(ymin, other.ymin) + 1, 0)
        let intersection = iw * ih
        let union = width * height + other.width * other.height - intersection
        return intersection / union
    }

    /// The box as COCO's continuous [x, y, w, h]: x = xmin − 1, w = xmax − xmin + 1.
    public var cocoXYWH: [Double] { [xmin - 1, ymin - 1, width, height] }

    /// The box from COCO's continuous [x, y, w, h].
    public init(cocoXYWH b: [Double]) {
        self.init(xmin: b[0] + 1, ymin: b[1] + 1, xmax: b[0] + b[2], ymax: b[1] + b[3])
    }

    /// Intersection over union as pycocotools computes it for boxes (continuous [x, y, w, h]).
    public func cocoIoU(_ other: BoundingBox) -> Double {
        let d = cocoXYWH, g = other.cocoXYWH
        let w = min(d[0] + d[2], g[0] + g[2]) - max(d[0], g[0])
        guard w > 0 else { return 0 }
        let h = min(d[1] + d[3], g[1] + g[3]) - max(d[1], g[1])
        guard h > 0 else { return 0 }
        let intersection = w * h
        return intersection / (d[2] * d[3] + g[2] * g[3] - intersection)
    }

    /// The box scaled by (sx, sy) about the image origin, in continuous coordinates, back in VOC convention.
    public func scaled(x sx: Double, y sy: Double) -> BoundingBox {
        BoundingBox(xmin: (xmin - 1) * sx + 1, ymin: (ymin - 1) * sy + 1, xmax: xmax * sx, ymax: ymax * sy)
    }
}

/// A ground-truth object of one image.
public struct GroundTruthObject: Codable, Equatable, Sendable {
    public var className: String
    public var box: BoundingBox
    /// VOC "difficult": neither counted as missed nor as a false positive when detected.
    public var difficult: Bool

    public init(className: String, box: BoundingBox, difficult: Bool = false) {
        self.className = className
        self.box = box
        self.difficult = difficult
    }
}

/// A detection: an image, a class, a confidence and a box.
public struct DetectedObject: Codable, Equatable, Sendable {
    public var image: String
    public var className: String
    public var score: Double
    public var box: BoundingBox

    public init(image: String, className: String, score: Double, box: BoundingBox) {
        self.image = image
        self.className = className
        self.score = score
        self.box = box
    }
}
