import Bayer
import Support

/// Re-exposure, colour-gain jitter and fresh sensor noise for training on clean mosaics: each epoch sees the
/// same content at another brightness, white balance and noise draw.
///
/// For a clean mosaic (unprocessed without noise), per pixel of colour c:
/// x = x̂ · e · g_c with e log-uniform in ``exposureRange`` and g_R, g_B log-uniform in [1/(1+j), 1+j]
/// (g_G = 1); then Poisson–Gaussian noise at an ISO log-uniform in ``isoRange`` (``PoissonGaussianNoise``
/// of ``noise``); then black level, rounding and clipping at white, as the sensor would.
public struct PhotometricAugmentation: Sendable, Equatable {
    public var exposureRange: ClosedRange<Double>
    public var isoRange: ClosedRange<Double>
    /// j: red and blue gains in [1/(1 + j), 1 + j].
    public var gainJitter: Double
    public var noise: SensorNoiseProfile

    public init(exposureRange: ClosedRange<Double> = 0.03...1, isoRange: ClosedRange<Double> = 100...3200, gainJitter: Double = 0.1,
                noise: SensorNoiseProfile = SensorNoiseProfile()) {
        self.exposureRange = exposureRange
        self.isoRange = isoRange
        self.gainJitter = gainJitter
        self.noise = noise
    }

    /// The mosaic re-exposed, re-balanced and noised with draws from `random`.
    public func apply(_ image: BayerImage, random: inout SeededRandom) -> BayerImage {
        let exposure = random.logUniform(exposureRange.lowerBound, exposureRange.upperBound.nextUp)
        let iso = random.logUniform(isoRange.lowerBound, isoRange.upperBound.nextUp)
        let j = 1 + gainJitter
        let red = random.logUniform(1 / j, j.nextUp), blue = random.logUniform(1 / j, j.nextUp)
        let model = PoissonGaussianNoise(profile: noise, iso: iso)
        let scale: [Float] = image.cfa.colors.map { Float(exposure * ($0 == .red ? red : ($0 == .blue ? blue : 1))) }
        var out = image
        let width = image.width, white = image.whiteLevel, blacks = image.blackLevels
        out.pixels.withUnsafeMutableBufferPointer { px in
            for row in 0..<image.height {
                for column in 0..<width {
                    let i = row * width + column, p = (row & 1) << 1 | (column & 1)
                    let x = normalizedADC(Int(px[i]), black: blacks[p], white: white) * scale[p]
                    let v = (Float(blacks[p]) + model.sample(x, random: &random) * Float(white - blacks[p])).rounded()
                    px[i] = UInt16(min(max(v, 0), Float(white)))
                }
            }
        }
        out.metadata.isoSpeed = iso
        return out
    }
}
