import Foundation
import NN

/// The shape of a ``CenterNetDetector`` and how its input is prepared; saved with every checkpoint.
public struct DetectorConfiguration: Codable, Sendable, Equatable {
    /// Class names in label order.
    public var classes: [String]
    /// Channels of the first stage; later stages use 2× and 4× this (the network's width).
    public var baseChannels: Int
    /// Input channels: 4 planes × values per plane (2^N − 1 for Bw-SQ, else 1).
    public var inputChannels: Int
    /// Stages below ⅛ for large objects (0, 1 or 2: ¹⁄₁₆ and ¹⁄₃₂, 8c channels each), fused back top-down into
    /// the ⅛ features; nil = 0 (the synthetic-shapes architecture; absent from its checkpoints).
    public var deepStages: Int?
    /// Residual blocks (``ResidualBlock``) added at the end of every stage from ¼ down (¼, ⅛ and each deep
    /// stage), for depth without losing the easy start; nil = 0 (absent from older checkpoints).
    public var residualBlocks: Int?

    /// The scale at which the network sees a mosaic: detection resamples the mosaic by it (plane-wise, keeping
    /// the CFA phase) and scales the boxes back, so callers always pass and get full-resolution mosaics and
    /// boxes; training should draw scales around it. nil = 1 (the synthetic-shapes model).
    public var inputScale: Double?

    /// ``inputScale`` as a number.
    public var scale: Double { inputScale ?? 1 }

    /// ``deepStages`` as a number.
    public var deep: Int { deepStages ?? 0 }

    /// ``residualBlocks`` as a number.
    public var residual: Int { residualBlocks ?? 0 }

    /// The most residual blocks per stage.
    public static let maximumResidualBlocks = 8

    /// What the packed planes' sides must be multiples of: 8, or 8 · 2^(deep − 1) with deep stages.
    public var planeMultiple: Int { 8 << max(0, deep - 1) }
    /// Heatmap cells per mosaic pixel: the output stride relative to the mosaic (4).
    public static let outputStride = 4

    /// The most classes a detector may have.
    public static let maximumClasses = 1000
    /// The widest network a checkpoint may describe (base channels); 16 is the bundled model's.
    public static let maximumBaseChannels = 512

    /// The number of scalars the network stores (weights, biases, BatchNorm affine parameters and running
    /// statistics) — known before anything is allocated, so a checkpoint that claims more than its file
    /// holds is refused. c = base channels, i = input channels, K = classes; every 3×3 conv has 9·in·out
    /// weights and BatchNorm 4 scalars per channel:
    /// stem 9ic + 4c; down 9·c·2c + 8c + 9·2c·2c + 8c; 9·2c·4c + 16c + 9·4c·4c + 16c; context 9·4c·4c + 16c;
    /// fuse 9·6c·4c + 16c; heads (9·4c·c + c) × 3 + (cK + K) + 2·(2c + 2).
    public var storedScalarCount: Int? {
        let c = baseChannels, i = inputChannels, k = classes.count
        guard c >= 1, i >= 1, k >= 1, c <= DetectorConfiguration.maximumBaseChannels, i <= 1 << 12, k <= DetectorConfiguration.maximumClasses else { return nil }
        let backbone = 9 * i * c + 4 * c + 9 * c * 2 * c + 8 * c + 9 * 2 * c * 2 * c + 8 * c
            + 9 * 2 * c * 4 * c + 16 * c + 9 * 4 * c * 4 * c + 16 * c + 9 * 4 * c * 4 * c + 16 * c + 9 * 6 * c * 4 * c + 16 * c
        let heads = 3 * (9 * 4 * c * c + c) + (c * k + k) + 2 * (2 * c + 2)
        // Deep stages: ¹⁄₁₆ 9·4c·8c + 32c + 9·8c·8c + 32c; ¹⁄₃₂ 2·(9·8c·8c + 32c) and its merge 9·16c·8c + 32c;
        // the merge into ⅛ 9·12c·4c + 16c.
        var deepScalars = 0
        if deep >= 1 { deepScalars += 9 * 4 * c * 8 * c + 32 * c + 9 * 8 * c * 8 * c + 32 * c + 9 * 12 * c * 4 * c + 16 * c }
        if deep >= 2 { deepScalars += 2 * (9 * 8 * c * 8 * c + 32 * c) + 9 * 16 * c * 8 * c + 32 * c }
        // Residual blocks: r per stage on 2c (¼), 4c (⅛) and 8c (each deep stage) channels.
        let r = min(max(residual, 0), DetectorConfiguration.maximumResidualBlocks)
        let stageChannels = [2 * c, 4 * c] + Array(repeating: 8 * c, count: min(max(deep, 0), 2))
        let residualScalars = r * stageChannels.reduce(0) { $0 + ResidualBlock.storedScalars(channels: $1) }
        return backbone + heads + deepScalars + residualScalars
    }

    /// An estimate of the memory one training step takes, bytes: the activations the backward pass keeps
    /// and their gradients for `batch` mosaics of `mosaicWidth` × `mosaicHeight` (planes at half size, P
    /// pixels: about (16 + 4r)·c values per plane pixel with r residual blocks per stage, plus the largest im2row buffer, 9 · channels · pixels),
    /// times two for gradients, plus weights with Adam's two moments. An upper-side estimate, so a run
    /// refused by it would not fit; nil when it overflows.
    public func estimatedTrainingBytes(batch: Int, mosaicWidth: Int, mosaicHeight: Int) -> Int? {
        let bytes = Double(batch) * activationValues(mosaicWidth, mosaicHeight, perPlanePixel: 16 + 4 * Double(residual)) * 4 * 2 + Double(storedScalarCount ?? 0) * 4 * 4
        return bytes < Double(Int.max) ? Int(bytes) : nil
    }

    /// Activation values of one mosaic: `perPlanePixel`·c values per plane pixel (planes at half size) plus
    /// the largest im2row buffer, 9 · max(input channels, the fuse layer's 6c/4) per plane pixel.
    private func activationValues(_ mosaicWidth: Int, _ mosaicHeight: Int, perPlanePixel: Double) -> Double {
        let planePixels = Double(max(mosaicWidth, 2) / 2) * Double(max(mosaicHeight, 2) / 2)
        let c = Double(baseChannels), i = Double(inputChannels)
        return planePixels * (perPlanePixel * c + 9 * max(i, 6 * c / 4))
    }

    /// An estimate of the memory detection on one `mosaicWidth` × `mosaicHeight` mosaic takes, bytes: the
    /// live activations of inference (about 8·c values per plane pixel) and the largest im2row buffer.
    public func estimatedInferenceBytes(mosaicWidth: Int, mosaicHeight: Int) -> Int? {
        let bytes = activationValues(mosaicWidth, mosaicHeight, perPlanePixel: 8 + 2 * Double(residual)) * 4 + Double(storedScalarCount ?? 0) * 4
        return bytes < Double(Int.max) ? Int(bytes) : nil
    }

    /// Checks what a checkpoint may have stored: 1…``maximumClasses`` distinct non-empty class names of at
    /// most 200 characters, base channels 4…``maximumBaseChannels``, 1…4096 input channels.
    public func validate() throws -> Void {
        guard (1...DetectorConfiguration.maximumClasses).contains(classes.count) else {
            throw ConfigurationError("a detector needs 1...\(DetectorConfiguration.maximumClasses) classes, got \(classes.count)")
        }
        guard classes.allSatisfy({ !$0.isEmpty && $0.count <= 200 }), Set(classes).count == classes.count else {
            throw ConfigurationError("class names must be distinct, non-empty and at most 200 characters")
        }
        guard (4...DetectorConfiguration.maximumBaseChannels).contains(baseChannels) else {
            throw ConfigurationError("base channels must be in 4...\(DetectorConfiguration.maximumBaseChannels), got \(baseChannels)")
        }
        guard (1...4096).contains(inputChannels) else { throw ConfigurationError("input channels must be in 1...4096, got \(inputChannels)") }
        guard (0...2).contains(deep) else { throw ConfigurationError("deep stages must be 0, 1 or 2, got \(deep)") }
        guard (0...DetectorConfiguration.maximumResidualBlocks).contains(residual) else {
            throw ConfigurationError("residual blocks must be in 0...\(DetectorConfiguration.maximumResidualBlocks), got \(residual)")
        }
        guard scale.isFinite, (0.05...4).contains(scale) else { throw ConfigurationError("input scale must be in 0.05...4, got \(scale)") }
    }

    /// An invalid stored configuration.
    public struct ConfigurationError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public init(classes: [String], baseChannels: Int = 16, inputChannels: Int = 4, deepStages: Int = 0, inputScale: Double = 1,
                residualBlocks: Int = 0) {
        precondition(!classes.isEmpty, "DetectorConfiguration: no classes")
        precondition(baseChannels >= 4, "DetectorConfiguration: base channels must be at least 4")
        self.classes = classes
        self.baseChannels = baseChannels
        self.inputChannels = inputChannels
        self.deepStages = deepStages == 0 ? nil : deepStages
        self.inputScale = inputScale == 1 ? nil : inputScale
        self.residualBlocks = residualBlocks == 0 ? nil : residualBlocks
    }
}
