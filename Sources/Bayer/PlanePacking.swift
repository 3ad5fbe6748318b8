
/// Packs a Bayer mosaic into four half-resolution planes in a fixed physical order, whatever the CFA:
/// **R, Gr (the green in red rows), Gb (the green in blue rows), B**.
///
/// Output layout: `[4, height/2, width/2]` row-major Float (CHW; a batch stacks these as NCHW),
/// values normalised per 2×2 position x̂ = clamp((x − black)/(white − black), 0, 1) by ``normalizedADC(_:black:white:)``,
/// the same Float32 expression the sensor tables use. Block (i, j) takes
/// mosaic rows 2i, 2i+1 and columns 2j, 2j+1; an odd last row or column is dropped.
public enum PlanePacking {
    /// Plane names in output order.
    public static let planeNames = ["R", "Gr", "Gb", "B"]

    /// For each output plane, the 2×2 position (row-major) it takes its pixel from in `cfa`.
    public static func sourcePositions(_ cfa: CFAPattern) -> [Int] {
        let red = cfa.colors.firstIndex(of: .red)!, blue = cfa.colors.firstIndex(of: .blue)!
        // Gr shares the red pixel's row; Gb the blue pixel's row.
        let greenInRedRow = (red & 2) | (1 - (red & 1)), greenInBlueRow = (blue & 2) | (1 - (blue & 1))
        return [red, greenInRedRow, greenInBlueRow, blue]
    }

    /// Packs and normalises `image`.
    public static func pack(_ image: BayerImage) -> [Float] {
        let w = image.width / 2, h = image.height / 2
        var out = [Float](repeating: 0, count: 4 * w * h)
        let positions = sourcePositions(image.cfa)
        out.withUnsafeMutableBufferPointer { dst in
            image.pixels.withUnsafeBufferPointer { src in
                for plane in 0..<4 {
                    let p = positions[plane]
                    let black = image.blackLevels[p], white = image.whiteLevel
                    let dr = p >> 1, dc = p & 1
                    let base = plane * w * h
                    for i in 0..<h {
                        let row = (2 * i + dr) * image.width + dc
                        for j in 0..<w {
                            dst[base + i * w + j] = normalizedADC(Int(src[row + 2 * j]), black: black, white: white)
                        }
                    }
                }
            }
        }
        return out
    }
}
