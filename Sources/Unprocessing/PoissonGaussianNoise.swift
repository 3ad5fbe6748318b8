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
