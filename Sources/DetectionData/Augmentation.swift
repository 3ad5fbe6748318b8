import Support
import RawIO
import Bayer

/// Geometric augmentation that keeps the Bayer phase right: crops start on even offsets, and flips
/// re-index the CFA pattern (``BayerImage/flippedHorizontally()``), so the packed planes always hold
/// the colours their names say.
public struct AugmentationOptions: Sendable, Equatable {
    /// Crop size in mosaic pixels (even); nil = no crop. Images smaller than the crop are not cropped.
    public var cropWidth: Int?
    public var cropHeight: Int?
    /// Probability of a left–right flip.
    public var horizontalFlipProbability: Double
    /// Probability of a top–bottom flip.
    public var verticalFlipProbability: Double
    /// A box cut by the crop is kept when at least this fraction of its area stays inside.
    public var minimumBoxFraction: Double

    public init(cropWidth: Int? = nil, cropHeight: Int? = nil, horizontalFlipProbability: Double = 0,
                verticalFlipProbability: Double = 0, minimumBoxFraction: Double = 0.3) {
        self.cropWidth = cropWidth.map { $0 & ~1 }
        self.cropHeight = cropHeight.map { $0 & ~1 }
        self.horizontalFlipProbability = horizontalFlipProbability
        self.verticalFlipProbability = verticalFlipProbability
        self.minimumBoxFraction = minimumBoxFraction
    }

    /// No augmentation (evaluation).
    public static let none = AugmentationOptions()

    /// Applies the augmentation to an image and its objects (boxes in VOC convention, mosaic pixels).
    public func apply(_ image: BayerImage, objects: [GroundTruthObject], random: inout SeededRandom) -> (BayerImage, [GroundTruthObject]) {
        var image = image, objects = objects
        let cw = min(cropWidth ?? image.width, image.width) & ~1, ch = min(cropHeight ?? image.height, image.height) & ~1
        if cw < image.width || ch < image.height {
            let x = 2 * random.nextInt(below: (image.width - cw) / 2 + 1), y = 2 * random.nextInt(below: (image.height - ch) / 2 + 1)
            image = image.cropped(x: x, y: y, width: cw, height: ch)
            objects = objects.compactMap { object in
                let b = object.box
                let clipped = BoundingBox(xmin: max(b.xmin - Double(x), 1), ymin: max(b.ymin - Double(y), 1),
                                          xmax: min(b.xmax - Double(x), Double(cw)), ymax: min(b.ymax - Double(y), Double(ch)))
                guard clipped.xmin <= clipped.xmax, clipped.ymin <= clipped.ymax,
                      clipped.width * clipped.height >= minimumBoxFraction * b.width * b.height else { return nil }
                return GroundTruthObject(className: object.className, box: clipped, difficult: object.difficult)
            }
        }
        if random.chance(horizontalFlipProbability) {
            image = image.flippedHorizontally()
            let w = Double(image.width) + 1
            objects = objects.map { o in
                GroundTruthObject(className: o.className, box: BoundingBox(xmin: w - o.box.xmax, ymin: o.box.ymin, xmax: w - o.box.xmin, ymax: o.box.ymax),
                                  difficult: o.difficult)
            }
        }
        if random.chance(verticalFlipProbability) {
            image = image.flippedVertically()
            let h = Double(image.height) + 1
            objects = objects.map { o in
                GroundTruthObject(className: o.className, box: BoundingBox(xmin: o.box.xmin, ymin: h - o.box.ymax, xmax: o.box.xmax, ymax: h - o.box.ymin),
                                  difficult: o.difficult)
            }
        }
        return (image, objects)
    }
}
