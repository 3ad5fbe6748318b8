/// The family of a deploy-side quantizer curve.
public enum QuantizerKind: String, Sendable, Codable, CaseIterable {
    case linear, log, gamma
}

/// A deploy-side quantizer: a curve family, its parameters and the output bit width N.
///
/// Per channel: x̂ = clamp((x − black)/(white − black), 0, 1), y = f(x̂),
/// **code = min(2^N − 1, floor(2^N · y))**. See ``TransferCurve`` for f.
public struct QuantizerSpec: Sendable, Codable, Equatable {
    public var kind: QuantizerKind
    /// Output bits per pixel, 1...8.
    public var bits: Int
    /// γ values for `.gamma`: one global value, or three for the CFA colours R, G, B (both greens share G).
    public var gammas: [Double]

    /// The default quantizer of `rawquant simulate`: γ = 0.3 per colour at 4 bits. Close to the γ that
    /// detection training learned in the feasibility study (0.25–0.30 at 3–4 bits); it lifts dark
    /// pixels (most raw data sits at 1–10 % of full scale) to many more codes than a linear ramp.
    public static let defaultGamma = 0.3

    public init(kind: QuantizerKind, bits: Int, gammas: [Double] = []) throws {
        self.kind = kind
        self.bits = bits
        self.gammas = gammas
        try validate()
    }

    /// Linear N-bit quantizer.
    public static func linear(bits: Int) throws -> QuantizerSpec { try QuantizerSpec(kind: .linear, bits: bits) }
    /// Logarithmic N-bit quantizer.
    public static func log(bits: Int) throws -> QuantizerSpec { try QuantizerSpec(kind: .log, bits: bits) }
    /// γ quantizer with one global γ or three per-colour values (R, G, B).
    public static func gamma(_ gammas: [Double], bits: Int) throws -> QuantizerSpec {
        try QuantizerSpec(kind: .gamma, bits: bits, gammas: gammas)
    }

    /// Checks bit width and parameters.
    public func validate() throws {
        guard (1...8).contains(bits) else { throw QuantizationError("bits must be 1...8, got \(bits)") }
        switch kind {
        case .linear, .log:
            guard gammas.isEmpty else { throw QuantizationError("\(kind.rawValue) quantizer takes no γ") }
        case .gamma:
            guard gammas.count == 1 || gammas.count == 3 else {
                throw QuantizationError("γ quantizer needs 1 global γ or 3 (R,G,B), got \(gammas.count)")
            }
            for g in gammas where !(g.isFinite && g > 0 && g <= 100) {
                throw QuantizationError("γ must be a finite number in (0, 100], got \(g)")
            }
        }
    }

    /// The number of codes, 2^N.
    public var levels: Int { 1 << bits }

    /// The curve for a channel of colour `colorIndex` (0 R, 1 G, 2 B) whose ADC range is `range` = white − black.
    public func curve(colorIndex: Int, range: Double) -> TransferCurve {
        switch kind {
        case .linear: return .linear
        case .log: return .log(range: max(range, 1))
        case .gamma: return .gamma(gammas.count == 1 ? gammas[0] : gammas[colorIndex])
        }
    }

    /// A short human-readable name, e.g. "gamma(R 0.3, G 0.3, B 0.3) 4-bit".
    public var summary: String {
        switch kind {
        case .linear, .log: return "\(kind.rawValue) \(bits)-bit"
        case .gamma:
            let values = gammas.count == 1 ? "\(gammas[0])" : "R \(gammas[0]), G \(gammas[1]), B \(gammas[2])"
            return "gamma(\(values)) \(bits)-bit"
        }
    }
}
