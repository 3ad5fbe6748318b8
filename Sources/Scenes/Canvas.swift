/// A linear-radiance RGB image being painted, with an owner map for occlusion bookkeeping.
///
/// Layout: `rgb[(row * width + column)]` SIMD3 radiance (1.0 = a white surface at exposure 1);
/// `owner[i]` is the index of the labelled object that covers pixel i, −1 for background, −2 for clutter.
struct Canvas {
    let width: Int
    let height: Int
    var rgb: [SIMD3<Float>]
    var owner: [Int32]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        rgb = [SIMD3<Float>](repeating: .zero, count: width * height)
        owner = [Int32](repeating: -1, count: width * height)
    }

    /// Paints `shape` with `color(x, y)` blended by its coverage (4×4 supersampled); pixels covered
    /// more than half become owned by `ownerID` (nil = ownership unchanged, e.g. for shadows).
    mutating func paint(_ shape: Shape, ownerID: Int32?, blend: (SIMD3<Float>, Float, Float, Float) -> SIMD3<Float>) {
        let bounds = shape.bounds
        let x0 = max(0, Int(bounds.minX.rounded(.down))), x1 = min(width - 1, Int(bounds.maxX.rounded(.up)))
        let y0 = max(0, Int(bounds.minY.rounded(.down))), y1 = min(height - 1, Int(bounds.maxY.rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        for y in y0...y1 {
            for x in x0...x1 {
                var inside = 0
                for sy in 0..<4 {
                    for sx in 0..<4 where shape.contains(Float(x) + (Float(sx) + 0.5) / 4, Float(y) + (Float(sy) + 0.5) / 4) {
                        inside += 1
                    }
                }
                guard inside > 0 else { continue }
                let coverage = Float(inside) / 16
                let i = y * width + x
                rgb[i] = blend(rgb[i], coverage, Float(x), Float(y))
                if let ownerID, coverage > 0.5 { owner[i] = ownerID }
            }
        }
    }
}
