import ArgumentParser
import RawQuant

/// The augmentation options for real content that `train` and `experiment` share.
struct TrainingAugmentationOptions: ParsableArguments {
    @Option(help: "Random scale LOW,HIGH before the crop, drawn log-uniformly (e.g. 0.5,1.5); default: none.")
    var scaleRange: NumberList<Double>?

    @Option(help: "Re-expose every training image each epoch by LOW,HIGH (log-uniform) with fresh shot/read noise from the bundled camera's model, for clean (unprocessed --no-noise) data; default: none.")
    var reexpose: NumberList<Double>?

    @Option(help: "ISO LOW,HIGH of the fresh noise (and of a low-light test; default 100,3200).")
    var isoRange: NumberList<Double>?

    @Option(help: "Red and blue gain jitter j with --reexpose: factors in [1/(1+j), 1+j] (default 0.1).")
    var gainJitter: Double = 0.1

    @Option(help: "Probability that a training sample is a mosaic of four images (quadrants around a random centre; needs --crop); default 0.")
    var mosaic: Double = 0

    func validate() throws {
        try Limits.checkRange(scaleRange, "scale-range", 0.1...4)
        try Limits.checkRange(reexpose, "reexpose", 1e-4...16)
        try Limits.checkRange(isoRange, "iso-range", 1...1_000_000)
        guard mosaic >= 0, mosaic <= 1 else { throw ValidationError("--mosaic must be in 0...1, got \(mosaic)") }
        guard gainJitter >= 0, gainJitter <= 1 else { throw ValidationError("--gain-jitter must be in 0...1, got \(gainJitter)") }
    }

    /// ISO range of the noise.
    var iso: [Double] { isoRange?.values ?? [100, 3200] }

    /// The re-exposure the options ask for, with the bundled camera's noise; nil without `--reexpose`.
    var photometric: PhotometricAugmentation? {
        reexpose.map { r in
            PhotometricAugmentation(exposureRange: r.values[0]...r.values[1], isoRange: iso[0]...iso[1], gainJitter: gainJitter,
                                    noise: CameraProfile.canonEOS30D.noise)
        }
    }
}
