import ArgumentParser

/// The ranges every numeric option must lie in (README, "Limits"): beyond them a run would not finish on
/// any machine or would ask for more memory than there is, so they are usage errors (exit 64), not aborts.
enum Limits {
    static let epochs = 1...100_000
    static let detectorBatch = 1...4096
    static let featureBatch = 1...1_000_000
    static let width = 4...512
    static let hiddenWidth = 1...65_536
    static let hiddenLayers = 1...16
    static let scenes = 1...1_000_000
    static let tableRows = 1...10_000_000
    static let motionSamples = 2...10_000
    static let repeats = 2...1000
    static let runs = 1...1000
    static let steps = 1...1_000_000
    static let threads = 1...256
    static let jobs = 1...1024
    static let previewSide = 1...65_536
    static let crop = 32...16_384
    static let folds = 2...1000
    static let seeds = 1...1000
    static let fitSamples = 64...10_000_000

    /// Throws the usage error `--name must be in a...b, got v` when `value` is outside `range`.
    static func check(_ value: Int, _ range: ClosedRange<Int>, _ name: String) throws {
        guard range.contains(value) else { throw ValidationError("--\(name) must be in \(range.lowerBound)...\(range.upperBound), got \(value)") }
    }

    /// Throws a usage error unless `list` (when given) is LOW,HIGH with LOW ≤ HIGH, both in `allowed`.
    static func checkRange(_ list: NumberList<Double>?, _ name: String, _ allowed: ClosedRange<Double>) throws {
        guard let values = list?.values else { return }
        guard values.count == 2, allowed.contains(values[0]), allowed.contains(values[1]), values[0] <= values[1] else {
            throw ValidationError("--\(name) must be LOW,HIGH with \(allowed.lowerBound) ≤ LOW ≤ HIGH ≤ \(allowed.upperBound), got \"\(list!)\"")
        }
    }
}
