extension QuantizerSpec {
    /// The entry of a table by bit width for `bits`: its own width's, else the nearest learned width's (ties to
    /// fewer bits). Nil for an empty table.
    static func nearestLearned<Value>(_ table: [Int: Value], bits: Int) -> (learnedAt: Int, value: Value)? {
        guard let nearest = table.keys.min(by: { (abs($0 - bits), $0) < (abs($1 - bits), $1) }) else { return nil }
        return (nearest, table[nearest]!)
    }

    /// The learned per-colour γ (R, G, B) for `bits`: the table entry of that width, else of the nearest
    /// learned width (ties to fewer bits). See ``learnedGammas``.
    public static func learnedGamma(bits: Int) -> (learnedAt: Int, gammas: [Double]) {
        let entry = nearestLearned(learnedGammas, bits: bits)!
        return (entry.learnedAt, entry.value)
    }

    /// The learned log's D for `bits`: the table entry of that width, else of the nearest learned width (ties
    /// to fewer bits). See ``learnedLogScales``.
    public static func learnedLogScale(bits: Int) -> (learnedAt: Int, scale: Double) {
        let entry = nearestLearned(learnedLogScales, bits: bits)!
        return (entry.learnedAt, entry.value)
    }

    /// The learned per-colour γ quantizer at `bits` (``learnedGammas``; `simulate --quantizer gamma` without `--gamma`).
    public static func learnedGammaQuantizer(bits: Int) throws -> QuantizerSpec {
        try .gamma(learnedGamma(bits: bits).gammas, bits: bits)
    }

    /// The default quantizer of `rawquant simulate`: the learned log y = ln(1 + D·x̂)/ln(1 + D), one D for all
    /// colours, as learned jointly with the detector in the headline experiment (``learnedLogScales``, the
    /// nearest learned width for other N). It won the 4-bit column on validation over the fixed log, learned γ,
    /// γ-log and the monotone curve (issue 16; `experiment/ANALYSIS.md`): the log's shape near black with the
    /// strength detection asked for, a gentler curve than the fixed log's D = ADC range.
    public static func defaultQuantizer(bits: Int) throws -> QuantizerSpec {
        try .log(bits: bits, scales: [learnedLogScale(bits: bits).scale])
    }
}
