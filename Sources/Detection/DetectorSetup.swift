import Bayer
import TrainableQuantizers

extension RawDetector {
    /// A fresh detector to train on a dataset whose first training image is `firstImage` — the one setup
    /// `rawquant train` and the experiment share.
    ///
    /// The ISP baseline (``InputRepresentation/isp``) takes that camera's white balance and colour matrix
    /// (``ispDescription(for:)``); every input takes its plane layout (colours and ADC ranges) from it.
    public static func forTraining(_ description: QuantizerDescription, classes: [String], baseChannels: Int, seed: UInt64,
                                   firstImage: BayerImage) throws -> RawDetector {
        let input = description.name == .isp ? try ispDescription(for: firstImage) : description
        let detector = RawDetector(quantizer: input, classes: classes, baseChannels: baseChannels, seed: seed)
        detector.layout = planeLayout(of: firstImage)
        return detector
    }
}
