import Foundation
import Support

/// Generated benchmark tables: classic public synthetic regression and classification problems, made
/// here from a seed (so the project ships the generator, not the data). Row r uses its own random stream
/// (`SeededRandom.stream(seed:index: r)`), so a table's first rows do not depend on its length.
public enum TableGenerator: String, Sendable, CaseIterable {
    /// Friedman (1991) #1, OpenML's "fried": x₁…x₁₀ ~ U(0, 1) (x₆…x₁₀ irrelevant),
    /// y = 10 sin(π x₁x₂) + 20(x₃ − ½)² + 10x₄ + 5x₅ + ε, ε ~ N(0, 1).
    case friedman1
    /// Friedman #2: x₁ ~ U(0, 100), x₂ ~ U(40π, 560π), x₃ ~ U(0, 1), x₄ ~ U(1, 11),
    /// y = √(x₁² + (x₂x₃ − 1/(x₂x₄))²) + ε, ε ~ N(0, 125²).
    case friedman2
    /// Friedman #3: x as #2, y = atan((x₂x₃ − 1/(x₂x₄))/x₁) + ε, ε ~ N(0, 0.1²).
    case friedman3
    /// Hastie, Tibshirani & Friedman (2009), Example 10.2: x₁…x₁₀ ~ N(0, 1), class 1 if Σx² > 9.34 (χ²₁₀ median) else 0.
    case hastie
    /// Skewed regression: x₁…x₈ log-normal (σ = 1) with a few heavy outliers, y = Σ wᵢ log(1 + xᵢ) + ε — a
    /// table where min-max thresholds waste most codes and learned thresholds should help.
    case lognormal

    public var task: TabularTask { self == .hastie ? .classification : .regression }

    /// The table: feature columns x1…xK, then the target column `y`.
    public func rows(count: Int, seed: UInt64) -> (columns: [String], rows: [[Double]]) {
        let k: Int
        switch self {
        case .friedman1, .hastie: k = 10
        case .friedman2, .friedman3: k = 4
        case .lognormal: k = 8
        }
        let rows = (0..<count).map { r -> [Double] in
            var random = SeededRandom.stream(seed: seed, index: UInt64(r))
            func normal() -> Double { Double(random.nextNormal()) }
            var x: [Double]
            let y: Double
            switch self {
            case .friedman1:
                x = (0..<10).map { _ in random.nextUniformDouble() }
                y = 10 * sin(Double.pi * x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5) + 10 * x[3] + 5 * x[4] + normal()
            case .friedman2, .friedman3:
                x = [random.uniform(0, 100), random.uniform(40 * Double.pi, 560 * Double.pi), random.nextUniformDouble(), random.uniform(1, 11)]
                let inner = x[1] * x[2] - 1 / (x[1] * x[3])
                y = self == .friedman2 ? (x[0] * x[0] + inner * inner).squareRoot() + 125 * normal() : atan(inner / x[0]) + 0.1 * normal()
            case .hastie:
                x = (0..<10).map { _ in normal() }
                y = x.reduce(0) { $0 + $1 * $1 } > 9.34 ? 1 : 0
            case .lognormal:
                x = (0..<8).map { _ in exp(normal()) }
                if random.chance(0.01) { x[random.nextInt(below: 8)] *= 50 }
                let weights: [Double] = [3, -2, 1.5, 1, -1, 0.5, 0, 0]
                y = zip(weights, x).reduce(0) { $0 + $1.0 * log1p($1.1) } + 0.3 * normal()
            }
            return x + [y]
        }
        return ((1...k).map { "x\($0)" } + ["y"], rows)
    }
}

/// Windows of a 3-axis accelerometer worn on the wrist, for the wearable use case: each row is one window of
/// `samples` readings at 50 Hz, in g, flattened as ax₀, ay₀, az₀, ax₁, …, and an activity label.
///
/// Model per window: a random wrist orientation (a unit gravity vector g, tilted up to 35° from −z) plus the
/// activity's motion along three random orthonormal directions, plus sensor noise N(0, 0.02²) g:
/// - `rest`: gravity, slow drift (0.2 Hz, 0.01 g);
/// - `walk`: step frequency f ~ U(1.6, 2.2) Hz, vertical a₁ ~ U(0.15, 0.35) g at f and 0.4·a₁ at 2f, lateral 0.3·a₁ at f/2;
/// - `run`: f ~ U(2.4, 3.2) Hz, a₁ ~ U(0.6, 1.2) g, harmonics as walk, clipped at ±4 g (sensor range);
/// - `cycle`: pedalling f ~ U(0.9, 1.5) Hz, a₁ ~ U(0.05, 0.15) g, a road vibration N(0, 0.05²) g;
/// - `stairs`: f ~ U(1.3, 1.8) Hz like walk, plus a vertical drift of ±0.08 g per step cycle (ascending) and a heavier
///   vertical 2f component (0.8·a₁).
/// Every component has a random phase. Classes are balanced (row r has class r mod 5).
public enum MotionWindows {
    public static let activities = ["rest", "walk", "run", "cycle", "stairs"]
    public static let sampleRate = 50.0

    /// The table: columns a0x, a0y, a0z, …, then `activity`.
    public static func table(windows: Int, samples: Int = 64, seed: UInt64) -> (columns: [String], rows: [[String]]) {
        let columns = (0..<samples).flatMap { t in ["a\(t)x", "a\(t)y", "a\(t)z"] } + ["activity"]
        let rows = (0..<windows).map { r -> [String] in
            let activity = r % activities.count
            var random = SeededRandom.stream(seed: seed, index: UInt64(r))
            let values = window(activity: activity, samples: samples, random: &random)
            return values.map { String(format: "%.4f", $0) } + [activities[activity]]
        }
        return (columns, rows)
    }

    /// One window, `[samples · 3]` in g.
    static func window(activity: Int, samples: Int, random: inout SeededRandom) -> [Double] {
        func unit(_ v: SIMD3<Double>) -> SIMD3<Double> { v / (v * v).sum().squareRoot() }
        func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
            SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
        }
        let tilt = random.uniform(0, 35) * Double.pi / 180, azimuth = random.uniform(0, 2 * Double.pi)
        let gravity = SIMD3(sin(tilt) * cos(azimuth), sin(tilt) * sin(azimuth), -cos(tilt))
        let vertical = -gravity
        let lateral = unit(cross(vertical, SIMD3(random.uniform(-1, 1), random.uniform(-1, 1), random.uniform(-1, 1))))
        let forward = cross(vertical, lateral)
        let phases = (0..<4).map { _ in random.uniform(0, 2 * Double.pi) }
        var f = 0.0, a = 0.0
        switch activity {
        case 1: f = random.uniform(1.6, 2.2); a = random.uniform(0.15, 0.35)
        case 2: f = random.uniform(2.4, 3.2); a = random.uniform(0.6, 1.2)
        case 3: f = random.uniform(0.9, 1.5); a = random.uniform(0.05, 0.15)
        case 4: f = random.uniform(1.3, 1.8); a = random.uniform(0.15, 0.3)
        default: f = 0.2; a = 0.01
        }
        var out: [Double] = []
        out.reserveCapacity(samples * 3)
        for t in 0..<samples {
            let time = Double(t) / sampleRate, w = 2 * Double.pi * f * time
            var motion: SIMD3<Double> = vertical * (a * sin(w + phases[0]))
            switch activity {
            case 1, 2:
                let up: SIMD3<Double> = vertical * (0.4 * a * sin(2 * w + phases[1]))
                let side: SIMD3<Double> = lateral * (0.3 * a * sin(w / 2 + phases[2]))
                let ahead: SIMD3<Double> = forward * (0.2 * a * sin(w + phases[3]))
                motion += up + side + ahead
            case 3:
                let pedal: SIMD3<Double> = forward * (a * sin(w + phases[1]))
                let road: SIMD3<Double> = vertical * (0.05 * Double(random.nextNormal()))
                motion += pedal + road
            case 4:
                let up: SIMD3<Double> = vertical * (0.8 * a * sin(2 * w + phases[1]) + 0.08 * sin(w / 2 + phases[2]))
                let side: SIMD3<Double> = lateral * (0.3 * a * sin(w / 2 + phases[3]))
                motion += up + side
            default:
                break
            }
            var reading = gravity + motion
            for k in 0..<3 { reading[k] = min(4, max(-4, reading[k] + 0.02 * Double(random.nextNormal()))) }
            out += [reading.x, reading.y, reading.z]
        }
        return out
    }
}
