import Foundation

/// The median rule of learnable curves' start: the curve maps the median of the training pixels x̂ to the
/// middle of the code range, y(median) = ½.
enum MedianStart {
    /// Per group, the median of the finite values of its pool: `samples` holds one array per colour R, G, B;
    /// with `groups` ≠ their count they are pooled into one (a global parameter). Nil for an empty pool.
    static func medians(_ samples: [[Float]], groups: Int) -> [Double?] {
        let pools = groups == samples.count ? samples : [samples.flatMap { $0 }]
        precondition(pools.count == groups, "MedianStart: need \(groups) sample groups, got \(samples.count)")
        return pools.map { values in
            let sorted = values.filter(\.isFinite).sorted()
            return sorted.isEmpty ? nil : Double(sorted[sorted.count / 2])
        }
    }

    /// The log scale D with ln(1 + D·m)/ln(1 + D) = ½: (1 + D·m)² = 1 + D ⇔ D = (1 − 2m)/m², for the median m in
    /// (0, ½), clamped to [10⁻², 10⁶]; `fallback` (the fixed log's D) when m is missing, 0 or ≥ ½.
    static func logScale(median m: Double?, fallback: Float) -> Float {
        guard let m, m > 0, m < 0.5 else { return fallback }
        return Float(Swift.min(Swift.max((1 - 2 * m) / (m * m), 1e-2), 1e6))
    }
}
