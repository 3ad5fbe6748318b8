import Bayer
import Support
import TrainableQuantizers

extension RawDetector {
    /// Throws when detecting on `image` would need more memory than `limit` (default: three quarters of the
    /// machine's), naming `path`.
    public func checkMemory(for image: BayerImage, path: String, limit: Int = MemoryBudget.defaultLimit) throws {
        try MemoryBudget.check(network.configuration.estimatedInferenceBytes(mosaicWidth: image.width, mosaicHeight: image.height), limit: limit,
                               path: path, what: "detection on the \(image.width)×\(image.height) mosaic", advice: "crop or downscale the raw first")
    }

    /// A fresh detector to train on a dataset whose first training image is `firstImage` — the one setup
    /// `rawquant train` and the experiment share.
    ///
    /// The ISP baseline (``InputRepresentation/isp``) takes that camera's white balance and colour matrix
    /// (``ispDescription(for:)``); every input takes its plane layout (colours and ADC ranges) from it.
    public static func forTraining(_ description: QuantizerDescription, classes: [String], baseChannels: Int, deepStages: Int = 0,
                                   inputScale: Double = 1, residualBlocks: Int = 0, seed: UInt64,
                                   firstImage: BayerImage) throws -> RawDetector {
        let input = description.name == .isp ? try ispDescription(for: firstImage) : description
        let detector = RawDetector(quantizer: input, classes: classes, baseChannels: baseChannels, deepStages: deepStages, inputScale: inputScale,
                                   residualBlocks: residualBlocks, seed: seed)
        detector.layout = planeLayout(of: firstImage)
        return detector
    }
}
