/// Reorderings between the PyTorch weight layout `[Cout, Cg, kh, kw]` and the
/// taps-last layout `[Cout, kh, kw, Cg]` used by the patch matrix.
enum ConvWeights {
    /// `[Cout, Cg, taps] → [Cout, taps, Cg]`.
    static func tapsLast(_ w: [Float], cout: Int, cg: Int, taps: Int) -> [Float] {
        var out = [Float](repeating: 0, count: w.count)
        for o in 0..<cout {
            for c in 0..<cg {
                for t in 0..<taps { out[(o * taps + t) * cg + c] = w[(o * cg + c) * taps + t] }
            }
        }
        return out
    }

    /// Per group `[groups][taps·Cg][og]` (the transposed taps-last gradient) → `[Cout, Cg, taps]`.
    static func fromTapsLastTransposed(_ d: [Float], cout: Int, cg: Int, taps: Int, groups: Int) -> [Float] {
        let og = cout / groups, kg = cg * taps
        var out = [Float](repeating: 0, count: cout * kg)
        for g in 0..<groups {
            for oo in 0..<og {
                let o = g * og + oo
                for t in 0..<taps {
                    for c in 0..<cg { out[(o * cg + c) * taps + t] = d[(g * kg + t * cg + c) * og + oo] }
                }
            }
        }
        return out
    }
}
