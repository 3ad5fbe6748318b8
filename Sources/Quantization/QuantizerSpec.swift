/// The family of a quantizer.
public enum QuantizerKind: String, Sendable, Codable, CaseIterable {
    /// y = x̂, then code = min(L − 1, ⌊L·y⌋).
    case linear
    /// y = ln(1 + D·x̂)/ln(1 + D): D the channel's ADC range (fixed log), or learned (``QuantizerSpec/logScales``).
    case log
    /// y = (ln(1 + D·x̂)/ln(1 + D))^γ, D (``QuantizerSpec/logScales``) and γ learned.
    case gammaLog = "gamma-log"
    /// A monotone piecewise-linear curve (``MonotoneCurve``): learned increments on fixed knots.
    case monotone
    /// y = x̂^γ (fixed or learned γ).
    case gamma
    /// Soft quantization: code = number of thresholds below x̂; the network receives code / M.
    case sq
    /// Bitwise soft quantization: as SQ, but the network receives the thermometer vector of the code.
    case bwsq
    /// Learned step size: code = clamp(round(x̂ / s), 0, L − 1); the network receives code · s.
    case lsq
}

/// What the network receives for a code.
public enum NetworkEncoding: String, Sendable, Codable {
    /// The centre of the code's interval in y: (code + ½)/L.
    case centre
    /// The count scaled to [0, 1]: code / M.
    case count
    /// M values: entry j is 1 iff threshold j is among the `code` smallest (Bw-SQ).
    case thermometer
    /// code · s (LSQ).
    case step
}

/// A quantizer's deploy-side description: family, parameters and bit width N — everything a sensor
/// (encoder) and a server (decoder) need, with no tensors involved.
///
/// Per channel: x̂ = clamp((x − black)/(white − black), 0, 1), then a ``CodeMapping``. Parameters are
/// per CFA colour where there are three values (R, G, B; both greens share G), global where there is one.
public struct QuantizerSpec: Sendable, Codable, Equatable {
    public var kind: QuantizerKind
    /// Output bits per pixel, 1...8.
    public var bits: Int
    /// γ values (`gamma`): one global value, or three for R, G, B.
    public var gammas: [Double]
    /// Thresholds in x̂ (`sq`, `bwsq`): one row (global) or three (R, G, B) of 2^N − 1 values each.
    public var thresholds: [[Double]]?
    /// Step sizes in x̂ (`lsq`): one global value or three for R, G, B.
    public var steps: [Double]?
    /// Learned decode values in x̂ per code (one row, or three for R, G, B, of 2^N values), replacing the
    /// centre of each code's interval in the linear decoder — e.g. what a reconstruction fit learned.
    public var decoderValues: [[Double]]?
    /// D of `log` and `gamma-log`: one global value or three for R, G, B; nil = each channel's ADC range (the fixed log).
    public var logScales: [Double]?
    /// Knots t₀ = 0 < … < t_K = 1 of `monotone` (shared by every colour).
    public var knots: [Double]?
    /// Increments Δ_k ≥ 0 of `monotone`: one row (global) or three (R, G, B) of K values.
    public var increments: [[Double]]?

    public init(kind: QuantizerKind, bits: Int, gammas: [Double] = [], thresholds: [[Double]]? = nil, steps: [Double]? = nil,
                decoderValues: [[Double]]? = nil, logScales: [Double]? = nil, knots: [Double]? = nil, increments: [[Double]]? = nil) throws {
        self.kind = kind
        self.bits = bits
        self.gammas = gammas
        self.thresholds = thresholds
        self.steps = steps
        self.decoderValues = decoderValues
        self.logScales = logScales
        self.knots = knots
        self.increments = increments
        try validate()
    }

    /// Linear N-bit quantizer.
    public static func linear(bits: Int) throws -> QuantizerSpec { try QuantizerSpec(kind: .linear, bits: bits) }
    /// Logarithmic N-bit quantizer: D = each channel's ADC range, or the given D (one, or R, G, B).
    public static func log(bits: Int, scales: [Double]? = nil) throws -> QuantizerSpec {
        try QuantizerSpec(kind: .log, bits: bits, logScales: scales)
    }
    /// γ-log N-bit quantizer: the log curve of scale D raised to γ (each one value, or R, G, B).
    public static func gammaLog(_ gammas: [Double], scales: [Double], bits: Int) throws -> QuantizerSpec {
        try QuantizerSpec(kind: .gammaLog, bits: bits, gammas: gammas, logScales: scales)
    }
    /// Monotone piecewise-linear N-bit quantizer on `knots` with increment rows (one, or R, G, B).
    public static func monotone(knots: [Double], increments: [[Double]], bits: Int) throws -> QuantizerSpec {
        try QuantizerSpec(kind: .monotone, bits: bits, knots: knots, increments: increments)
    }
    /// γ quantizer with one global γ or three per-colour values (R, G, B).
    public static func gamma(_ gammas: [Double], bits: Int) throws -> QuantizerSpec {
        try QuantizerSpec(kind: .gamma, bits: bits, gammas: gammas)
    }

    /// Checks bit width and parameters.
    public func validate() throws {
        guard (1...8).contains(bits) else { throw QuantizationError("bits must be 1...8, got \(bits)") }
        let m = levels - 1
        func checkGammas() throws {
            guard gammas.count == 1 || gammas.count == 3 else {
                throw QuantizationError("γ quantizer needs 1 global γ or 3 (R,G,B), got \(gammas.count)")
            }
            for g in gammas where !(g.isFinite && g > 0 && g <= 100) {
                throw QuantizationError("γ must be a finite number in (0, 100], got \(g)")
            }
        }
        if let logScales {
            guard kind == .log || kind == .gammaLog else { throw QuantizationError("\(kind.rawValue) quantizer takes no log scale D") }
            guard logScales.count == 1 || logScales.count == 3, logScales.allSatisfy({ $0.isFinite && $0 >= 1e-3 && $0 <= 1e9 }) else {
                throw QuantizationError("log scale D needs 1 or 3 (R,G,B) finite values in [0.001, 1e9]")
            }
        }
        if kind != .monotone, knots != nil || increments != nil { throw QuantizationError("\(kind.rawValue) quantizer takes no knots") }
        switch kind {
        case .linear, .log:
            guard gammas.isEmpty, thresholds == nil, steps == nil else { throw QuantizationError("\(kind.rawValue) quantizer takes no parameters") }
        case .gamma:
            try checkGammas()
        case .gammaLog:
            try checkGammas()
            guard thresholds == nil, steps == nil, logScales != nil else { throw QuantizationError("gamma-log quantizer needs γ and D, and nothing else") }
        case .monotone:
            guard gammas.isEmpty, thresholds == nil, steps == nil, let knots, let rows = increments else {
                throw QuantizationError("monotone quantizer needs knots and increments, and nothing else")
            }
            guard (2...1025).contains(knots.count), knots.first == 0, knots.last == 1, zip(knots, knots.dropFirst()).allSatisfy({ $0 < $1 }),
                  knots.allSatisfy(\.isFinite) else {
                throw QuantizationError("monotone knots must be 2...1025 strictly increasing values from 0 to 1")
            }
            guard zip(knots, knots.dropFirst()).allSatisfy({ Float($0) < Float($1) }) else {
                throw QuantizationError("monotone knots must stay distinct in Float32")
            }
            guard rows.count == 1 || rows.count == 3, rows.allSatisfy({ $0.count == knots.count - 1 }) else {
                throw QuantizationError("monotone increments need 1 or 3 (R,G,B) rows of \(knots.count - 1) values")
            }
            guard rows.allSatisfy({ row in row.allSatisfy { $0.isFinite && $0 >= 0 } && row.reduce(0, +) <= 1.001 }) else {
                throw QuantizationError("monotone increments must be finite, non-negative and sum to at most 1")
            }
        case .sq, .bwsq:
            guard let rows = thresholds, rows.count == 1 || rows.count == 3 else {
                throw QuantizationError("\(kind.rawValue) quantizer needs 1 or 3 (R,G,B) rows of thresholds")
            }
            for row in rows {
                guard row.count == m else { throw QuantizationError("\(bits)-bit \(kind.rawValue) needs \(m) thresholds per row, got \(row.count)") }
                guard row.allSatisfy(\.isFinite) else { throw QuantizationError("thresholds must be finite numbers") }
            }
        case .lsq:
            guard let steps, steps.count == 1 || steps.count == 3, steps.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                throw QuantizationError("lsq quantizer needs 1 or 3 (R,G,B) positive finite step sizes")
            }
        }
        if let rows = decoderValues {
            guard rows.count == 1 || rows.count == 3, rows.allSatisfy({ $0.count == levels && $0.allSatisfy { $0.isFinite && (0...1).contains($0) } }) else {
                throw QuantizationError("decoder values need 1 or 3 rows of \(levels) numbers in [0, 1]")
            }
        }
    }

    /// The learned decode values of colour `colorIndex`, if any.
    public func decodedValues(colorIndex: Int) -> [Double]? {
        decoderValues.map { $0.count == 1 ? $0[0] : $0[colorIndex] }
    }

    /// The number of codes, L = 2^N.
    public var levels: Int { 1 << bits }

    /// What the network receives for a code.
    public var networkEncoding: NetworkEncoding {
        switch kind {
        case .linear, .log, .gamma, .gammaLog, .monotone: .centre
        case .sq: .count
        case .bwsq: .thermometer
        case .lsq: .step
        }
    }

    /// Values per channel the network receives: 2^N − 1 for Bw-SQ, else 1.
    public var valuesPerChannel: Int { kind == .bwsq ? levels - 1 : 1 }

    /// The mapping for a channel of colour `colorIndex` (0 R, 1 G, 2 B) whose ADC range is `range` = white − black.
    public func mapping(colorIndex: Int, range: Int) -> CodeMapping {
        func pick<T>(_ values: [T]) -> T { values.count == 1 ? values[0] : values[colorIndex] }
        switch kind {
        case .linear: return .curve(.linear)
        case .log: return .curve(.log(range: logScales.map { Float(pick($0)) } ?? Float(max(range, 1))))
        case .gamma: return .curve(.gamma(Float(pick(gammas))))
        case .gammaLog:
            return .curve(.gammaLog(range: Float(pick(logScales!)), gamma: Float(pick(gammas))))
        case .monotone: return .curve(.monotone(MonotoneCurve(knots: knots!.map(Float.init), increments: pick(increments!).map(Float.init))))
        case .sq, .bwsq: return .thresholds(pick(thresholds!).map(Float.init))
        case .lsq: return .step(Float(pick(steps!)))
        }
    }

    /// A short human-readable name, e.g. "gamma(R 0.3, G 0.3, B 0.3) 4-bit".
    public var summary: String {
        func list(_ values: [Double]) -> String {
            values.count == 1 ? "\(values[0])" : "R \(values[0]), G \(values[1]), B \(values[2])"
        }
        switch kind {
        case .linear: return "linear \(bits)-bit"
        case .log: return logScales.map { "log(D \(list($0))) \(bits)-bit" } ?? "log \(bits)-bit"
        case .gamma: return "gamma(\(list(gammas))) \(bits)-bit"
        case .gammaLog: return "gamma-log(γ \(list(gammas)); D \(list(logScales!))) \(bits)-bit"
        case .monotone: return "monotone(\(increments!.count == 1 ? "global" : "per colour"), \(knots!.count - 1) segments) \(bits)-bit"
        case .sq, .bwsq: return "\(kind.rawValue)(\(thresholds!.count == 1 ? "global" : "per colour") thresholds) \(bits)-bit"
        case .lsq: return "lsq(step \(list(steps!))) \(bits)-bit"
        }
    }
}
