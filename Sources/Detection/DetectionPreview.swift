import ISP
import DetectionData
import RawIO
import Bayer
import Support

/// A JPEG of a raw image through the reference ISP with detection boxes drawn on it.
public enum DetectionPreview {
    /// Box colours by class index (RGB).
    static let colors: [(UInt8, UInt8, UInt8)] = [(230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48), (145, 30, 180)]

    /// Renders `image`, draws each detection's box (2 px, colour by class) and writes a JPEG atomically.
    public static func write(_ image: BayerImage, detections: [DetectedObject], classes: [String], to path: String, quality: Int = 90) throws {
        var rgb = ReferenceISP(image: image).render()
        for detection in detections {
            let color = colors[(classes.firstIndex(of: detection.className) ?? 0) % colors.count]
            draw(detection.box, color: color, thickness: 2, on: &rgb)
        }
        try JPEGFile.write(to: path, width: rgb.width, height: rgb.height, quality: quality) { row, out in
            for i in 0..<(rgb.width * 3) { out[i] = rgb.pixels[row * rgb.width * 3 + i] }
        }
    }

    /// Draws a rectangle outline (VOC box, mosaic pixels) into an RGB image.
    static func draw(_ box: BoundingBox, color: (UInt8, UInt8, UInt8), thickness: Int, on image: inout RGBImage) {
        let x0 = max(0, Int(box.xmin.rounded()) - 1), x1 = min(image.width - 1, Int(box.xmax.rounded()) - 1)
        let y0 = max(0, Int(box.ymin.rounded()) - 1), y1 = min(image.height - 1, Int(box.ymax.rounded()) - 1)
        guard x0 <= x1, y0 <= y1 else { return }
        func set(_ x: Int, _ y: Int) {
            let i = 3 * (y * image.width + x)
            image.pixels[i] = color.0; image.pixels[i + 1] = color.1; image.pixels[i + 2] = color.2
        }
        for t in 0..<thickness {
            for x in x0...x1 {
                if y0 + t <= y1 { set(x, y0 + t) }
                if y1 - t >= y0 { set(x, y1 - t) }
            }
            for y in y0...y1 {
                if x0 + t <= x1 { set(x0 + t, y) }
                if x1 - t >= x0 { set(x1 - t, y) }
            }
        }
    }
}
