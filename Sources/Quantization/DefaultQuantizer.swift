extension QuantizerSpec {
    /// The learned per-colour γ (R, G, B) for `bits`: the table entry of that width, else of the nearest
    /// learned width (ties to fewer bits). See ``learnedGammas``.
    public static func learnedGamma(bits: Int) -> (learnedAt: Int, gammas: [Double]) {
        let nearest = learnedGammas.keys.min { (abs($0 - bits), $0) < (abs($1 - bits), $1) }!
        return (nearest, learnedGammas[nearest]!)
    }

    /// The default quantizer of `rawquant simulate`: γ per CFA colour as learned jointly with the detector in
    /// the headline experiment (``learnedGammas``, the nearest learned width for other N). It replaces the
    /// hand-picked γ = 0.3 of the first release: the learned curves lift dark pixels (most raw data sits at
    /// 1–10 % of full scale) to many more codes than a linear ramp, by as much as detection asked for.
    public static func defaultQuantizer(bits: Int) throws -> QuantizerSpec {
        try .gamma(learnedGamma(bits: bits).gammas, bits: bits)
    }
}
