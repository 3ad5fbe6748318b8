import DetectionData
import Foundation
import Support
import RawIO
import SensorSimulation
import Bayer

/// One generated scene: the raw mosaic as the sensor captured it and its annotation.
public struct SyntheticScene: Sendable {
    public var image: BayerImage
    public var objects: [AnnotatedObject]
    /// Fraction of full scale a white surface reaches (log-uniform over the configured range).
    public var exposure: Double
    /// Whether bright light sources were placed (they clip).
    public var hasLightSources: Bool
}

/// Renders deterministic synthetic raw scenes: linear radiance (textured background, labelled objects of
/// three classes with shadows, distractor clutter, optional clipping light sources) → camera colour
/// response → exposure → CFA sampling → ``SensorModel`` (shot and read noise, black level, ADC).
///
/// Scene `index` of seed `seed` depends on nothing else: it is the same whether or not other scenes
/// were generated, and on every machine.
public struct SceneGenerator: Sendable {
    public let configuration: SceneConfiguration

    public init(configuration: SceneConfiguration) { self.configuration = configuration }

    public func scene(seed: UInt64, index: Int) -> SyntheticScene {
        var random = SeededRandom.stream(seed: seed, index: UInt64(index))
        let c = configuration
        let cfa: CFAPattern
        switch c.cfa {
        case .fixed(let name): cfa = name.pattern
        case .mixed: cfa = CFAPattern.all[random.nextInt(below: 4)]
        }
        let exposure = random.logUniform(c.exposureRange.lowerBound, c.exposureRange.upperBound)
        var canvas = Canvas(width: c.width, height: c.height)
        paintBackground(&canvas, random: &random)
        let shadowDirection = random.uniform(0, 2 * Double.pi)
        let (shapes, classes) = placeItems(random: &random)
        var fullPixels = [Int](repeating: 0, count: classes.count)
        var truncated = [Bool](repeating: false, count: classes.count)
        for (k, shape) in shapes.enumerated() {
            let objectIndex = classes[k].map { _ in Int32(k) } ?? -2
            paintShadow(&canvas, shape, direction: shadowDirection, random: &random)
            let color = itemColor(classes[k], random: &random)
            let shading = shadingGradient(shape, random: &random)
            canvas.paint(shape, ownerID: objectIndex) { old, coverage, x, y in
                let lit = color * shading(x, y)
                return old * (1 - coverage) + lit * coverage
            }
            if classes[k] != nil {
                let b = shape.bounds
                truncated[k] = b.minX < 0 || b.minY < 0 || b.maxX > Float(c.width) || b.maxY > Float(c.height)
                fullPixels[k] = coveredPixels(shape)
            }
        }
        let hasLights = random.chance(c.lightSourceProbability)
        if hasLights { paintLightSources(&canvas, random: &random) }
        let objects = annotations(canvas, classes: classes, fullPixels: fullPixels, truncated: truncated)
        let irradiance = cameraIrradiance(canvas, cfa: cfa, exposure: exposure)
        let image = c.sensor.capture(irradiance: irradiance, width: c.width, height: c.height, cfa: cfa,
                                     random: &random, metadata: Self.metadata(exposure: exposure))
        return SyntheticScene(image: image, objects: objects, exposure: exposure, hasLightSources: hasLights)
    }

    // MARK: - Painting

    /// Smooth colour field between four random corner colours, modulated by two octaves of value noise.
    private func paintBackground(_ canvas: inout Canvas, random: inout SeededRandom) {
        let corners = (0..<4).map { _ in
            SIMD3<Float>(Float(random.uniform(0.08, 0.55)), Float(random.uniform(0.08, 0.55)), Float(random.uniform(0.08, 0.55)))
        }
        let amplitude = Float(random.uniform(0.15, 0.35))
        let coarse = ValueNoise(cell: Float(random.uniform(24, 64)), random: &random, width: canvas.width, height: canvas.height)
        let fine = ValueNoise(cell: Float(random.uniform(4, 12)), random: &random, width: canvas.width, height: canvas.height)
        let w = Float(max(canvas.width - 1, 1)), h = Float(max(canvas.height - 1, 1))
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let u = Float(x) / w, v = Float(y) / h
                let top = corners[0] * (1 - u) + corners[1] * u
                let bottom = corners[2] * (1 - u) + corners[3] * u
                let base = top * (1 - v) + bottom * v
                let texture = 1 + amplitude * (0.7 * coarse.value(Float(x), Float(y)) + 0.3 * fine.value(Float(x), Float(y)))
                canvas.rgb[y * canvas.width + x] = base * texture
            }
        }
    }

    /// Labelled objects and clutter, in random drawing order; `classes[k]` is nil for clutter.
    private func placeItems(random: inout SeededRandom) -> ([Shape], [SceneObjectClass?]) {
        let c = configuration
        let objectCount = random.int(c.objectsPerImage.lowerBound, c.objectsPerImage.upperBound)
        let clutterCount = random.int(c.clutterPerImage.lowerBound, c.clutterPerImage.upperBound)
        var kinds: [SceneObjectClass?] = (0..<objectCount).map { _ in SceneObjectClass.allCases[random.nextInt(below: 3)] }
            + [SceneObjectClass?](repeating: nil, count: clutterCount)
        random.shuffle(&kinds)
        let maxSize = min(c.objectSize.upperBound, 0.45 * Double(min(c.width, c.height)))
        let minSize = min(c.objectSize.lowerBound, maxSize)
        let shapes: [Shape] = kinds.map { kind in
            let size = Float(random.logUniform(minSize, max(maxSize, minSize + 1e-6)))
            let cx = Float(random.uniform(0, Double(c.width))), cy = Float(random.uniform(0, Double(c.height)))
            let angle = Float(random.uniform(0, Double.pi))
            switch kind {
            case .disk: return .disk(cx: cx, cy: cy, radius: size / 2)
            case .square: return .square(cx: cx, cy: cy, side: size * 0.8, angle: random.chance(0.5) ? 0 : angle / 4)
            case .triangle: return .triangle(cx: cx, cy: cy, radius: size / 1.6)
            case nil:
                switch random.nextInt(below: 3) {
                case 0: return .ellipse(cx: cx, cy: cy, rx: size / 2, ry: size / Float(random.uniform(4, 10)), angle: angle)
                case 1: return .ring(cx: cx, cy: cy, outer: size / 2, inner: size / 2 * Float(random.uniform(0.55, 0.8)))
                default: return .bar(cx: cx, cy: cy, length: size * 1.5, thickness: Float(random.uniform(2, 6)), angle: angle)
                }
            }
        }
        return (shapes, kinds)
    }

    /// Reflectance of an item: the class colour jittered, or any colour for clutter.
    private func itemColor(_ kind: SceneObjectClass?, random: inout SeededRandom) -> SIMD3<Float> {
        guard let kind else {
            return SIMD3(Float(random.uniform(0.05, 0.9)), Float(random.uniform(0.05, 0.9)), Float(random.uniform(0.05, 0.9)))
        }
        let brightness = Float(random.uniform(0.6, 1.15))
        let jitter = SIMD3<Float>(Float(random.uniform(-0.08, 0.08)), Float(random.uniform(-0.08, 0.08)), Float(random.uniform(-0.08, 0.08)))
        return ((kind.baseColor + jitter) * brightness).clamped(lowerBound: SIMD3(repeating: 0.02), upperBound: SIMD3(repeating: 1))
    }

    /// A linear brightness ramp across the item (0.75…1.25), as from directional light.
    private func shadingGradient(_ shape: Shape, random: inout SeededRandom) -> (Float, Float) -> Float {
        let b = shape.bounds
        let cx = (b.minX + b.maxX) / 2, cy = (b.minY + b.maxY) / 2
        let extent = max(b.maxX - b.minX, 1)
        let angle = random.uniform(0, 2 * Double.pi)
        let strength = Float(random.uniform(0, 0.25))
        let dx = Float(Foundation.cos(angle)), dy = Float(Foundation.sin(angle))
        return { x, y in 1 + strength * ((x - cx) * dx + (y - cy) * dy) / extent }
    }

    /// A darker, offset silhouette under the item (no ownership change).
    private func paintShadow(_ canvas: inout Canvas, _ shape: Shape, direction: Double, random: inout SeededRandom) {
        guard random.chance(0.7) else { return }
        let b = shape.bounds
        let distance = Float(random.uniform(0.08, 0.22)) * max(b.maxX - b.minX, 4)
        let factor = Float(random.uniform(0.35, 0.7))
        let shadow = shape.offset(distance * Float(Foundation.cos(direction)), distance * Float(Foundation.sin(direction)))
        canvas.paint(shadow, ownerID: nil) { old, coverage, _, _ in old * (1 - coverage * (1 - factor)) }
    }

    /// One or two small sources far brighter than any surface (3…30× full scale) with a glow out to 5 radii.
    private func paintLightSources(_ canvas: inout Canvas, random: inout SeededRandom) {
        for _ in 0..<random.int(1, 2) {
            let cx = Float(random.uniform(0, Double(canvas.width))), cy = Float(random.uniform(0, Double(canvas.height)))
            let radius = Float(random.uniform(2, 8))
            let peak = Float(random.logUniform(3, 30))
            let tint = SIMD3<Float>(1, Float(random.uniform(0.8, 1)), Float(random.uniform(0.6, 1)))
            let reach = radius * 5
            let x0 = max(0, Int(cx - reach)), x1 = min(canvas.width - 1, Int(cx + reach))
            let y0 = max(0, Int(cy - reach)), y1 = min(canvas.height - 1, Int(cy + reach))
            guard x0 <= x1, y0 <= y1 else { continue }
            for y in y0...y1 {
                for x in x0...x1 {
                    let d = ((Float(x) + 0.5 - cx) * (Float(x) + 0.5 - cx) + (Float(y) + 0.5 - cy) * (Float(y) + 0.5 - cy)).squareRoot()
                    // Glow ∝ (r/d)², shifted to reach zero at `reach` so it fades out in a circle.
                    let glow = d <= radius ? peak : 0.3 * peak * max(0, (radius / d) * (radius / d) - 0.04)
                    let i = y * canvas.width + x
                    canvas.rgb[i] += tint * glow
                    if d <= radius { canvas.owner[i] = -2 }
                }
            }
        }
    }

    // MARK: - Annotation and capture

    private func coveredPixels(_ shape: Shape) -> Int {
        var probe = Canvas(width: configuration.width, height: configuration.height)
        probe.paint(shape, ownerID: 0) { old, _, _, _ in old }
        return probe.owner.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
    }

    private func annotations(_ canvas: Canvas, classes: [SceneObjectClass?], fullPixels: [Int], truncated: [Bool]) -> [AnnotatedObject] {
        let w = canvas.width
        var minX = [Int](repeating: Int.max, count: classes.count), maxX = [Int](repeating: -1, count: classes.count)
        var minY = [Int](repeating: Int.max, count: classes.count), maxY = [Int](repeating: -1, count: classes.count)
        var visible = [Int](repeating: 0, count: classes.count)
        for (i, owner) in canvas.owner.enumerated() where owner >= 0 {
            let k = Int(owner), x = i % w, y = i / w
            visible[k] += 1
            minX[k] = min(minX[k], x); maxX[k] = max(maxX[k], x)
            minY[k] = min(minY[k], y); maxY[k] = max(maxY[k], y)
        }
        var objects: [AnnotatedObject] = []
        for (k, kind) in classes.enumerated() {
            guard let kind, visible[k] >= configuration.minimumVisiblePixels else { continue }
            let fraction = Double(visible[k]) / Double(max(fullPixels[k], 1))
            objects.append(AnnotatedObject(
                name: kind.rawValue,
                box: BoundingBox(xmin: Double(minX[k] + 1), ymin: Double(minY[k] + 1), xmax: Double(maxX[k] + 1), ymax: Double(maxY[k] + 1)),
                truncated: truncated[k], occluded: fraction < 0.98, difficult: fraction < configuration.difficultVisibleFraction))
        }
        return objects
    }

    /// Camera-channel irradiance at each pixel for the colour the CFA puts there.
    private func cameraIrradiance(_ canvas: Canvas, cfa: CFAPattern, exposure: Double) -> [Float] {
        let m = SceneConfiguration.cameraResponse
        let rows = (0..<3).map { SIMD3<Float>(m[3 * $0], m[3 * $0 + 1], m[3 * $0 + 2]) * Float(exposure) }
        var out = [Float](repeating: 0, count: canvas.rgb.count)
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let i = y * canvas.width + x
                out[i] = (rows[cfa.color(row: y, column: x).rawValue] * canvas.rgb[i]).sum()
            }
        }
        return out
    }

    /// Metadata recorded in each DNG: white balance and colour matrices consistent with the camera response.
    static func metadata(exposure: Double) -> RawMetadata {
        let m: [Double] = SceneConfiguration.cameraResponse.map(Double.init)
        let white: [Double] = (0..<3).map { (row: Int) -> Double in m[3 * row] + m[3 * row + 1] + m[3 * row + 2] }
        let multipliers = white.map { white[1] / $0 }
        // Balanced camera RGB = W·M·scene, so camera → sRGB is (W·M)⁻¹.
        let balanced = (0..<9).map { m[$0] * multipliers[$0 / 3] }
        // XYZ (D65) → linear sRGB, then sRGB → camera: the DNG ColorMatrix (XYZ → camera).
        let xyzToSRGB: [Double] = [3.2406, -1.5372, -0.4986, -0.9689, 1.8758, 0.0415, 0.0557, -0.2040, 1.0570]
        return RawMetadata(make: "RawQuant", model: "Synthetic raw scene", isoSpeed: 100, exposureTime: exposure / 100,
                           whiteBalance: multipliers + [multipliers[1]], colorMatrix: Matrix3.multiply(m, xyzToSRGB),
                           cameraToSRGB: Matrix3.inverse(balanced))
    }
}

/// 3×3 row-major matrix helpers.
enum Matrix3 {
    static func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
        (0..<9).map { (i: Int) -> Double in
            var sum = 0.0
            for k in 0..<3 { sum += a[3 * (i / 3) + k] * b[3 * k + i % 3] }
            return sum
        }
    }

    static func inverse(_ m: [Double]) -> [Double] {
        let det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6])
        let cofactors = [
            m[4] * m[8] - m[5] * m[7], m[2] * m[7] - m[1] * m[8], m[1] * m[5] - m[2] * m[4],
            m[5] * m[6] - m[3] * m[8], m[0] * m[8] - m[2] * m[6], m[2] * m[3] - m[0] * m[5],
            m[3] * m[7] - m[4] * m[6], m[1] * m[6] - m[0] * m[7], m[0] * m[4] - m[1] * m[3],
        ]
        return cofactors.map { $0 / det }
    }
}

/// Smooth value noise in [−1, 1]: random values on a grid of `cell` pixels, bilinearly interpolated.
struct ValueNoise {
    let cell: Float
    let columns: Int
    let values: [Float]

    init(cell: Float, random: inout SeededRandom, width: Int, height: Int) {
        self.cell = cell
        columns = Int(Float(width) / cell) + 2
        let rows = Int(Float(height) / cell) + 2
        values = (0..<(columns * rows)).map { _ in 2 * random.nextUniform() - 1 }
    }

    func value(_ x: Float, _ y: Float) -> Float {
        let gx = x / cell, gy = y / cell
        let ix = Int(gx), iy = Int(gy)
        let fx = gx - Float(ix), fy = gy - Float(iy)
        let sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy)
        let a = values[iy * columns + ix], b = values[iy * columns + ix + 1]
        let c = values[(iy + 1) * columns + ix], d = values[(iy + 1) * columns + ix + 1]
        return (a * (1 - sx) + b * sx) * (1 - sy) + (c * (1 - sx) + d * sx) * sy
    }
}
