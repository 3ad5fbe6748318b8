import Foundation

/// A filled 2-D shape in pixel coordinates (x right, y down; pixel (c, r) spans [c, c+1) × [r, r+1)).
enum Shape {
    case disk(cx: Float, cy: Float, radius: Float)
    /// A square of side `side`, rotated by `angle` radians about its centre.
    case square(cx: Float, cy: Float, side: Float, angle: Float)
    /// An upward-pointing equilateral triangle inscribed in a circle of `radius`.
    case triangle(cx: Float, cy: Float, radius: Float)
    case ellipse(cx: Float, cy: Float, rx: Float, ry: Float, angle: Float)
    case ring(cx: Float, cy: Float, outer: Float, inner: Float)
    /// A rotated rectangle (bars, sticks).
    case bar(cx: Float, cy: Float, length: Float, thickness: Float, angle: Float)

    struct Bounds {
        var minX: Float, minY: Float, maxX: Float, maxY: Float
    }

    var bounds: Bounds {
        switch self {
        case let .disk(cx, cy, r), let .triangle(cx, cy, r), let .ring(cx, cy, r, _):
            return Bounds(minX: cx - r, minY: cy - r, maxX: cx + r, maxY: cy + r)
        case let .square(cx, cy, side, _):
            let h = side * 0.7072
            return Bounds(minX: cx - h, minY: cy - h, maxX: cx + h, maxY: cy + h)
        case let .ellipse(cx, cy, rx, ry, _):
            let r = max(rx, ry)
            return Bounds(minX: cx - r, minY: cy - r, maxX: cx + r, maxY: cy + r)
        case let .bar(cx, cy, length, thickness, _):
            let r = 0.5 * (length * length + thickness * thickness).squareRoot()
            return Bounds(minX: cx - r, minY: cy - r, maxX: cx + r, maxY: cy + r)
        }
    }

    /// The shape moved by (dx, dy) (for shadows).
    func offset(_ dx: Float, _ dy: Float) -> Shape {
        switch self {
        case let .disk(cx, cy, r): .disk(cx: cx + dx, cy: cy + dy, radius: r)
        case let .square(cx, cy, s, a): .square(cx: cx + dx, cy: cy + dy, side: s, angle: a)
        case let .triangle(cx, cy, r): .triangle(cx: cx + dx, cy: cy + dy, radius: r)
        case let .ellipse(cx, cy, rx, ry, a): .ellipse(cx: cx + dx, cy: cy + dy, rx: rx, ry: ry, angle: a)
        case let .ring(cx, cy, o, i): .ring(cx: cx + dx, cy: cy + dy, outer: o, inner: i)
        case let .bar(cx, cy, l, t, a): .bar(cx: cx + dx, cy: cy + dy, length: l, thickness: t, angle: a)
        }
    }

    func contains(_ x: Float, _ y: Float) -> Bool {
        switch self {
        case let .disk(cx, cy, r):
            let dx = x - cx, dy = y - cy
            return dx * dx + dy * dy <= r * r
        case let .ring(cx, cy, outer, inner):
            let d = (x - cx) * (x - cx) + (y - cy) * (y - cy)
            return d <= outer * outer && d >= inner * inner
        case let .square(cx, cy, side, angle):
            let (u, v) = Shape.rotate(x - cx, y - cy, -angle)
            return abs(u) <= side / 2 && abs(v) <= side / 2
        case let .bar(cx, cy, length, thickness, angle):
            let (u, v) = Shape.rotate(x - cx, y - cy, -angle)
            return abs(u) <= length / 2 && abs(v) <= thickness / 2
        case let .ellipse(cx, cy, rx, ry, angle):
            let (u, v) = Shape.rotate(x - cx, y - cy, -angle)
            return (u * u) / (rx * rx) + (v * v) / (ry * ry) <= 1
        case let .triangle(cx, cy, r):
            // Vertices: top (cx, cy − r), bottom-left and bottom-right at y = cy + r/2.
            let top = (cx, cy - r), left = (cx - r * 0.866_025, cy + r / 2), right = (cx + r * 0.866_025, cy + r / 2)
            func edge(_ a: (Float, Float), _ b: (Float, Float)) -> Float { (b.0 - a.0) * (y - a.1) - (b.1 - a.1) * (x - a.0) }
            let e0 = edge(top, right), e1 = edge(right, left), e2 = edge(left, top)
            return (e0 >= 0 && e1 >= 0 && e2 >= 0) || (e0 <= 0 && e1 <= 0 && e2 <= 0)
        }
    }

    private static func rotate(_ x: Float, _ y: Float, _ angle: Float) -> (Float, Float) {
        let c = Foundation.cos(angle), s = Foundation.sin(angle)
        return (c * x - s * y, s * x + c * y)
    }
}
