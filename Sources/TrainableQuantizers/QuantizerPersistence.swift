import Quantization
import TensorCore

extension InputQuantizer {
    /// Saves the deploy face as a quantizer file (see `QuantizerFile`), atomically.
    public func saveQuantizer(to path: String, metadata: [String: String] = [:]) throws {
        let sorted = (self as? ThresholdQuantizer)?.keepSorted ?? false
        try QuantizerFile.write(try deploySpec(), to: path, sortedThresholds: sorted, metadata: metadata)
    }

    /// A train face whose eval mode equals `spec` (to fine-tune a saved quantizer, or to evaluate it
    /// on the tensor core).
    public static func make(from spec: QuantizerSpec) -> InputQuantizer {
        let f: (Double) -> Float = { Float($0) }
        switch spec.kind {
        case .linear: return CurveQuantizer(.linear, bits: spec.bits)
        case .log:
            guard let scales = spec.logScales else { return CurveQuantizer(.log, bits: spec.bits) }
            let q = LearnedLogQuantizer(bits: spec.bits, groups: scales.count)
            q.set(scales: scales.map(f), gammas: nil)
            return q
        case .gammaLog:
            let groups = max(spec.gammas.count, spec.logScales!.count)
            let q = LearnedLogQuantizer(bits: spec.bits, gamma: 1, groups: groups)
            func spread(_ values: [Double]) -> [Float] { values.count == groups ? values.map(f) : [Float](repeating: f(values[0]), count: groups) }
            q.set(scales: spread(spec.logScales!), gammas: spread(spec.gammas))
            return q
        case .monotone:
            let rows = spec.increments!
            let q = MonotoneCurveQuantizer(bits: spec.bits, segments: rows[0].count, groups: rows.count)
            q.set(knots: spec.knots!.map(f), increments: rows.map { $0.map(f) })
            return q
        case .gamma:
            let q = LearnableGammaQuantizer(bits: spec.bits, initialGamma: spec.gammas.map(f), perColor: spec.gammas.count == 3)
            return q
        case .sq, .bwsq:
            let rows = spec.thresholds!
            let q = ThresholdQuantizer(mode: spec.kind == .sq ? .sq : .bwsq, bits: spec.bits, perColor: rows.count == 3)
            q.thresholds.assign(Tensor(shape: [rows.count, rows[0].count], scalars: rows.flatMap { $0.map(f) }))
            return q
        case .lsq:
            let q = LSQQuantizer(bits: spec.bits, perColor: spec.steps!.count == 3)
            q.step.assign(Tensor(shape: [spec.steps!.count], scalars: spec.steps!.map(f)))
            return q
        }
    }
}
