import Bayer
import Support

extension AugmentationOptions {
    /// A four-image training mosaic (Bochkovskiy et al. 2020, "YOLOv4"), in the Bayer domain: more objects,
    /// scales and backgrounds per sample — what a small dataset lacks.
    ///
    /// A centre (cx, cy) is drawn uniformly in the middle half of the ``cropWidth`` × ``cropHeight`` canvas, on
    /// even coordinates; tile k of `tiles` (top-left, top-right, bottom-left, bottom-right) is scaled
    /// (``scaleRange``), cropped at even offsets to its quadrant (padded with black where smaller) and pasted there,
    /// so every pixel keeps the canvas's CFA phase. Boxes are clipped to their quadrant (``minimumBoxFraction``).
    /// Then the flips and the photometric augmentation apply to the whole canvas, as for one image.
    ///
    /// Returns nil (the caller falls back to one image) without a crop, without four tiles, or when the tiles
    /// do not share the first one's CFA pattern, black levels and white level (mosaics of one camera do).
    public func mosaic(_ tiles: [(BayerImage, [GroundTruthObject])], random: inout SeededRandom) -> (BayerImage, [GroundTruthObject])? {
        guard let width = cropWidth, let height = cropHeight, width >= 8, height >= 8, tiles.count == 4 else { return nil }
        let first = tiles[0].0
        guard tiles.allSatisfy({ $0.0.cfa == first.cfa && $0.0.blackLevels == first.blackLevels && $0.0.whiteLevel == first.whiteLevel })
        else { return nil }
        let cx = 2 * (width / 8 + random.nextInt(below: width / 4 + 1)), cy = 2 * (height / 8 + random.nextInt(below: height / 4 + 1))
        let columns = [(0, cx), (cx, width - cx)], rows = [(0, cy), (cy, height - cy)]
        var pixels = [UInt16](repeating: 0, count: width * height)
        var objects: [GroundTruthObject] = []
        for (k, tile) in tiles.enumerated() {
            let (x0, w) = columns[k & 1], (y0, h) = rows[k >> 1]
            var (image, boxes) = scaled(tile.0, tile.1, random: &random)
            (image, boxes) = cropped(image, boxes, width: w, height: h, random: &random)
            image.pixels.withUnsafeBufferPointer { source in
                for r in 0..<h {
                    for c in 0..<w { pixels[(y0 + r) * width + x0 + c] = source[r * w + c] }
                }
            }
            objects += boxes.map { o in
                GroundTruthObject(className: o.className, box: BoundingBox(xmin: o.box.xmin + Double(x0), ymin: o.box.ymin + Double(y0),
                                                                         xmax: o.box.xmax + Double(x0), ymax: o.box.ymax + Double(y0)),
                                  difficult: o.difficult)
            }
        }
        let canvas = BayerImage(width: width, height: height, pixels: pixels, cfa: first.cfa, blackLevels: first.blackLevels,
                                whiteLevel: first.whiteLevel, metadata: first.metadata)
        return finished(canvas, objects, random: &random)
    }
}
