import Support

/// Shot and read noise of a sensor at one ISO: the Poisson–Gaussian model in normalised units.
///
/// A signal x ∈ [0, 1] of the black-to-white range collects λ = x · N electrons, N = full well ·
/// base ISO / ISO, and reads out as n/N + σ·z with n ~ Poisson(λ), z ~ N(0, 1) and
/// σ² = (read electrons / N)² + (post-gain noise)². Its variance is therefore linear in the mean:
///
///     Var = a · x + b,   a = 1 / N,   b = σ²
///
/// Sampling: n is exact (inversion) for λ < 30; above, shot and read noise together are one normal
/// N(x, a·x + b), the standard approximation (its error in the variance is nil, in the shape < 1 %).
public struct PoissonGaussianNoise: Codable, Sendable, Equatable {
    /// Shot-noise slope: variance per unit of signal (1 / electrons at white).
    public var a: Double
    /// Signal-independent variance (read and post-gain noise), normalised units squared.
    public var b: Double

    public init(a: Double, b: Double) {
        self.a = a
        self.b = b
    }

    /// The model of `profile` at `iso`.
    public init(profile: SensorNoiseProfile, iso: Double) {
        let electronsAtWhite = profile.fullWellElectrons * profile.baseISO / iso
        a = 1 / electronsAtWhite
        b = (profile.readNoiseElectrons / electronsAtWhite) * (profile.readNoiseElectrons / electronsAtWhite)
            + profile.postGainNoise * profile.postGainNoise
    }

    /// The noiseless model.
    public static let none = PoissonGaussianNoise(a: 0, b: 0)

    /// A noisy reading of signal `x` ≥ 0 (normalised units); normals from ``Ziggurat/normal(_:)``,
    /// exact low-light counts from ``Ziggurat/poisson(_:_:)``.
    @inlinable public func sample(_ x: Float, random: inout SeededRandom) -> Float {
        guard a > 0 || b > 0 else { return x }
        if a > 0, let electrons = Ziggurat.poisson(x / Float(a), &random) {
            let shot = electrons * Float(a)
            return b > 0 ? shot + Float(b.squareRoot()) * Ziggurat.normal(&random) : shot
        }
        return x + (Float(a) * x + Float(b)).squareRoot() * Ziggurat.normal(&random)
    }
}

/// A sensor's noise at base sensitivity, the parameters of the Poisson–Gaussian model
/// (``PoissonGaussianNoise``).
///
/// Defaults describe a typical APS-C DSLR of the Canon 30D's generation (full well ≈ 25,000 e⁻ at
/// ISO 100, read noise ≈ 3 e⁻ before the gain, ≈ 0.5 ADC code after it per 12 bits of range). A camera file
/// with a masked margin sets the read noise from what its dark pixels measured (``init(measuredDarkNoise:atISO:fullWellElectrons:)``).
public struct SensorNoiseProfile: Codable, Sendable, Equatable {
    /// Electrons that fill the range from black to white at ISO ``baseISO``.
    public var fullWellElectrons: Double
    /// The ISO at which ``fullWellElectrons`` holds.
    public var baseISO: Double
    /// Read noise before the analogue gain (it scales with ISO), electrons RMS.
    public var readNoiseElectrons: Double
    /// Noise after the gain (ADC and output stage), as a fraction of the black-to-white range, RMS.
    public var postGainNoise: Double

    /// The dark noise the camera file's masked pixels showed, as a fraction of its range, and that file's ISO;
    /// nil when the noise is not measured.
    public var measuredDarkNoise: Double?
    public var measuredAtISO: Double?

    public init(fullWellElectrons: Double = 25_000, baseISO: Double = 100, readNoiseElectrons: Double = 3,
                postGainNoise: Double = 0.5 / 4095) {
        self.fullWellElectrons = fullWellElectrons
        self.baseISO = baseISO
        self.readNoiseElectrons = readNoiseElectrons
        self.postGainNoise = postGainNoise
    }

    /// The defaults, with the read noise solved from a measurement: σ (fraction of the range) at `iso` is
    /// √((read e⁻ · iso / (base ISO · full well))² + post-gain²), so read e⁻ = √(σ² − post-gain²) · full well ·
    /// base ISO / iso (the post-gain noise is lowered to σ where σ is smaller). Without a measurement or ISO: the defaults.
    public init(measuredDarkNoise sigma: Double?, atISO iso: Double?, fullWellElectrons: Double = 25_000) {
        self.init(fullWellElectrons: fullWellElectrons)
        guard let sigma, let iso, sigma.isFinite, sigma > 0, iso > 0 else { return }
        postGainNoise = min(postGainNoise, sigma)
        readNoiseElectrons = (sigma * sigma - postGainNoise * postGainNoise).squareRoot() * fullWellElectrons * baseISO / iso
        measuredDarkNoise = sigma
        measuredAtISO = iso
    }
}
