import Bayer

/// Automatic exposure for previews: a linear gain that puts the 99th percentile of green at 0.9.
public enum AutoExposure {
    /// gain = clamp(0.9 / max(p99, 10⁻⁶), 1, 64).
    public static func gain(greenPercentile99 p: Float) -> Float { min(64, max(1, 0.9 / max(p, 1e-6))) }

    /// The 99th percentile of the green pixels' x̂ (both greens, each through its own reading), from a
    /// 4096-bin histogram: one pass, no sorting. Returns the upper edge of the bin that reaches 99 %.
    public static func greenPercentile99(width: Int, height: Int, cfa: CFAPattern, _ normalised: (Int, Int) -> Float) -> Float {
        var histogram = [Int](repeating: 0, count: 4097)
        var total = 0
        for row in 0..<height {
            for column in 0..<width where cfa.color(row: row, column: column) == .green {
                histogram[Int(min(max(normalised(row, column), 0), 1) * 4096)] += 1
                total += 1
            }
        }
        var cumulative = 0
        for (bin, n) in histogram.enumerated() {
            cumulative += n
            if Double(cumulative) >= 0.99 * Double(total) { return Float(bin + 1) / 4096 }
        }
        return 1
    }
}
