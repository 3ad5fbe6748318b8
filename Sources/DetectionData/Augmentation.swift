import Support
import RawIO
import Bayer

/// Geometric augmentation that keeps the Bayer phase right: crops start on even offsets, and flips
/// re-index the CFA pattern (``BayerImage/flippedHorizontally()``), so the packed planes always hold
/// the colours their names say.
public struct AugmentationOptions: Sendable, Equatable {
    /// Crop size in mosaic pixels (even); nil = no crop. An image smaller than the crop is padded with black
    /// (``BayerImage/padded(width:height:)``) on the right and bottom to its size, so every sample has the crop's size.
    public var cropWidth: Int?
    public var cropHeight: Int?
    /// Probability of a left–right flip.
    public var horizontalFlipProbability: Double
    /// Probability of a top–bottom flip.
    public var verticalFlipProbability: Double
    /// A box cut by the crop is kept when at least this fraction of its area stays inside.
    public var minimumBoxFraction: Double
    /// Random scale: each image is resampled (``BayerImage/resampled(width:height:)``) by a factor drawn
    /// log-uniformly in this range before the crop; nil = none.
    public var scaleRange: ClosedRange<Double>?
    /// Re-exposure, colour gains and fresh noise, after the geometry; nil = none.
    public var photometric: PhotometricAugmentation?
    /// Probability that a training sample is a four-image mosaic (``mosaic(_:random:)``) instead of one image;
    /// needs a crop. 0 = never.
    public var mosaicProbability: Double

    public init(cropWidth: Int? = nil, cropHeight: Int? = nil, horizontalFlipProbability: Double = 0,
                verticalFlipProbability: Double = 0, minimumBoxFraction: Double = 0.3, scaleRange: ClosedRange<Double>? = nil,
                photometric: PhotometricAugmentation? = nil, mosaicProbability: Double = 0) {
        self.cropWidth = cropWidth.map { $0 & ~1 }
        self.cropHeight = cropHeight.map { $0 & ~1 }
        self.horizontalFlipProbability = horizontalFlipProbability
        self.verticalFlipProbability = verticalFlipProbability
        self.minimumBoxFraction = minimumBoxFraction
        self.scaleRange = scaleRange
        self.photometric = photometric
        self.mosaicProbability = mosaicProbability
    }

    /// No augmentation (evaluation).
    public static let none = AugmentationOptions()

    /// Applies the augmentation to an image and its objects (boxes in VOC convention, mosaic pixels).
    public func apply(_ image: BayerImage, objects: [GroundTruthObject], random: inout SeededRandom) -> (BayerImage, [GroundTruthObject]) {
        var (image, objects) = scaled(image, objects, random: &random)
        (image, objects) = cropped(image, objects, width: cropWidth, height: cropHeight, random: &random)
        return finished(image, objects, random: &random)
    }

    /// The random scale of ``scaleRange`` (none without one).
    func scaled(_ image: BayerImage, _ objects: [GroundTruthObject], random: inout SeededRandom) -> (BayerImage, [GroundTruthObject]) {
        guard let scaleRange else { return (image, objects) }
        let s = random.logUniform(scaleRange.lowerBound, scaleRange.upperBound.nextUp)
        let w = max(2, Int((Double(image.width) * s / 2).rounded()) * 2), h = max(2, Int((Double(image.height) * s / 2).rounded()) * 2)
        guard w != image.width || h != image.height else { return (image, objects) }
        let sx = Double(w) / Double(image.width), sy = Double(h) / Double(image.height)
        return (image.resampled(width: w, height: h),
                objects.map { GroundTruthObject(className: $0.className, box: $0.box.scaled(x: sx, y: sy), difficult: $0.difficult) })
    }

    /// A random crop of `width` × `height` at even offsets (nil: that side whole), padding with black first where
    /// the image is smaller; boxes are clipped and those left with under ``minimumBoxFraction`` of their area dropped.
    func cropped(_ image: BayerImage, _ objects: [GroundTruthObject], width cropWidth: Int?, height cropHeight: Int?,
                 random: inout SeededRandom) -> (BayerImage, [GroundTruthObject]) {
        var image = image
        if let cropWidth, let cropHeight, image.width < cropWidth || image.height < cropHeight {
            image = image.padded(width: max(image.width, cropWidth), height: max(image.height, cropHeight))
        }
        let cw = min(cropWidth ?? image.width, image.width) & ~1, ch = min(cropHeight ?? image.height, image.height) & ~1
        guard cw < image.width || ch < image.height else { return (image, objects) }
        let x = 2 * random.nextInt(below: (image.width - cw) / 2 + 1), y = 2 * random.nextInt(below: (image.height - ch) / 2 + 1)
        return (image.cropped(x: x, y: y, width: cw, height: ch),
                clipped(objects, dx: x, dy: y, width: cw, height: ch))
    }

    /// Boxes moved by (−dx, −dy) and clipped to a `width` × `height` window; those keeping under
    /// ``minimumBoxFraction`` of their area are dropped.
    func clipped(_ objects: [GroundTruthObject], dx: Int, dy: Int, width: Int, height: Int) -> [GroundTruthObject] {
        objects.compactMap { object in
            let b = object.box
            let clipped = BoundingBox(xmin: max(b.xmin - Double(dx), 1), ymin: max(b.ymin - Double(dy), 1),
                                      xmax: min(b.xmax - Double(dx), Double(width)), ymax: min(b.ymax - Double(dy), Double(height)))
            guard clipped.xmin <= clipped.xmax, clipped.ymin <= clipped.ymax,
                  clipped.width * clipped.height >= minimumBoxFraction * b.width * b.height else { return nil }
            return GroundTruthObject(className: object.className, box: clipped, difficult: object.difficult)
        }
    }

    /// The flips, then the photometric augmentation.
    func finished(_ image: BayerImage, _ objects: [GroundTruthObject], random: inout SeededRandom) -> (BayerImage, [GroundTruthObject]) {
        var image = image, objects = objects
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
        if let photometric { image = photometric.apply(image, random: &random) }
        return (image, objects)
    }
}
