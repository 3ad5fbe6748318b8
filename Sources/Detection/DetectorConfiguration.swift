import Foundation

/// The shape of a ``CenterNetDetector`` and how its input is prepared; saved with every checkpoint.
public struct DetectorConfiguration: Codable, Sendable, Equatable {
    /// Class names in label order.
    public var classes: [String]
    /// Channels of the first stage; later stages use 2× and 4× this (the network's width).
    public var baseChannels: Int
    /// Input channels: 4 planes × values per plane (2^N − 1 for Bw-SQ, else 1).
    public var inputChannels: Int
    /// Heatmap cells per mosaic pixel: the output stride relative to the mosaic (4).
    public static let outputStride = 4

    public init(classes: [String], baseChannels: Int = 16, inputChannels: Int = 4) {
        precondition(!classes.isEmpty, "DetectorConfiguration: no classes")
        precondition(baseChannels >= 4, "DetectorConfiguration: base channels must be at least 4")
        self.classes = classes
        self.baseChannels = baseChannels
        self.inputChannels = inputChannels
    }
}
