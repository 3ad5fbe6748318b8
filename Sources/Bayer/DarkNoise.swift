/// The read noise of a sensor measured on its optically masked pixels (the dark margin most raw files keep).
///
/// Masked pixels see no light, so their spread around the row's level is the read noise at the file's ISO.
/// Each masked row's median is removed (row banding is not read noise); the noise is the RMS of what is left,
/// without outliers beyond 5 robust σ (median absolute deviation × 1.4826), so hot pixels do not count. Units: ADC codes.
public enum DarkNoise {
    /// At least this many masked pixels are needed.
    public static let minimumPixels = 4096

    /// σ in ADC codes of the masked block `rows` × `columns` read by `value(row, column)` (in block
    /// coordinates); nil when the block is too small or flat (all equal: a margin filled by the converter).
    public static func estimate(rows: Int, columns: Int, _ value: (Int, Int) -> UInt16) -> Double? {
        guard rows > 0, columns >= 8, rows * columns >= minimumPixels else { return nil }
        let rowStep = max(1, rows * columns / 1_000_000)  // at most about a million pixels
        var deviations: [Int32] = []
        deviations.reserveCapacity(min(rows * columns, 1_100_000))
        var row = [Int32](repeating: 0, count: columns)
        for r in stride(from: 0, to: rows, by: rowStep) {
            for c in 0..<columns { row[c] = Int32(value(r, c)) }
            let median = row.sorted()[columns / 2]
            for c in 0..<columns { deviations.append(abs(row[c] - median)) }
        }
        let sorted = deviations.sorted()
        guard sorted.last! > 0 else { return nil }
        // A robust scale first (MAD, or √(π/2) · mean |deviation| where the MAD rounds to 0), then the RMS of the
        // deviations within 5 of those scales (at least 2 codes): hot pixels out, integer coarseness gone.
        let mad = 1.4826 * Double(sorted[sorted.count / 2])
        let rough = mad > 0 ? mad : 1.2533 * Double(sorted.reduce(0) { $0 + Int($1) }) / Double(sorted.count)
        let limit = Int32(max(5 * rough, 2).rounded(.up))
        var sum = 0.0, count = 0
        for d in sorted where d <= limit {
            sum += Double(d) * Double(d)
            count += 1
        }
        return (sum / Double(max(count, 1))).squareRoot()
    }
}
