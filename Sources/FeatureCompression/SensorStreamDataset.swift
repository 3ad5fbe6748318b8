import Foundation
import Support

/// Labelled windows of a multichannel sensor stream (human activity recognition): each case is one window of
/// `length` time steps on every channel (sensor axis), with one class.
///
/// Layout: ``windows`` is cases × channels × steps, values in the sensor's units (e.g. g, rad/s).
public struct SensorStreamDataset: Sendable {
    public var path: String
    /// One name per channel ("dimension 1", … for a `.ts` file).
    public var channelNames: [String]
    /// The class labels (output index order).
    public var classLabels: [String]
    /// Cases × channels × steps.
    public var windows: [[[Double]]]
    /// Each case's class index into ``classLabels``.
    public var labels: [Int]
    /// Steps per window.
    public var length: Int

    public var count: Int { windows.count }
    public var channels: Int { channelNames.count }

    public init(path: String, channelNames: [String], classLabels: [String], windows: [[[Double]]], labels: [Int], length: Int) {
        self.path = path
        self.channelNames = channelNames
        self.classLabels = classLabels
        self.windows = windows
        self.labels = labels
        self.length = length
    }

    /// Whether `path` names a sensor-stream file (`.ts`) rather than a table.
    public static func isStreamFile(_ path: String) -> Bool { path.lowercased().hasSuffix(".ts") }

    /// Reads a classification `.ts` file whose cases all have one length and no missing values. `classLabels`
    /// (e.g. the training file's) fixes the class order; nil takes the file's `@classLabel` order.
    public static func load(path: String, classLabels: [String]? = nil) throws -> SensorStreamDataset {
        try SensorStreamDataset(try TimeSeriesFile.read(path: path), classLabels: classLabels)
    }

    /// A dataset from a parsed `.ts` file (see ``load(path:classLabels:)``).
    public init(_ file: TimeSeriesFile, classLabels wanted: [String]? = nil) throws {
        let path = file.path
        guard !file.hasNumericTarget, !file.classLabels.isEmpty else {
            throw FileError(path: path, "has no @classLabel true line: activity recognition needs a class per case")
        }
        guard let length = file.equalLength else {
            throw FileError(path: path, "its cases differ in length; cut the stream into equal windows first")
        }
        let classes = wanted ?? file.classLabels
        var labels: [Int] = []
        for (i, label) in file.labels.enumerated() {
            guard let k = classes.firstIndex(of: label) else {
                throw FileError(path: path, line: file.lines[i], "class \(Untrusted.quote(label)) is not one of the model's \(classes.joined(separator: ", "))")
            }
            if let d = file.series[i].firstIndex(where: { $0.contains { $0.isNaN } }) {
                throw FileError(path: path, line: file.lines[i], column: "dimension \(d + 1)", "has a missing value; fill or drop the case first")
            }
            labels.append(k)
        }
        self.init(path: path, channelNames: (1...file.dimensions).map { "dimension \($0)" }, classLabels: classes,
                  windows: file.series, labels: labels, length: length)
    }

    /// The cases at `indices`.
    public func subset(_ indices: [Int]) -> SensorStreamDataset {
        SensorStreamDataset(path: path, channelNames: channelNames, classLabels: classLabels, windows: indices.map { windows[$0] },
                            labels: indices.map { labels[$0] }, length: length)
    }

    /// Every time step of every case as a row of channel values, case-major: `[count · length][channels]` — the
    /// samples a device quantizes one at a time.
    public var sampleRows: [[Double]] { Self.sampleRows(windows) }

    /// Case-major sample rows of `windows` (cases × channels × steps).
    public static func sampleRows(_ windows: [[[Double]]]) -> [[Double]] {
        windows.flatMap { w in (0..<(w.first?.count ?? 0)).map { t in w.map { $0[t] } } }
    }
}
