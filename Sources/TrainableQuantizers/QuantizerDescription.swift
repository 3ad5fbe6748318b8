/// How to build a train-face quantizer: the name users give on the command line and what it means.
///
/// | name | quantizer |
/// |---|---|
/// | `float` | full precision: the network receives x̂ unquantized (the upper reference) |
/// | `linear`, `log` | fixed curves |
/// | `gamma` | fixed γ (`gammas`, default 1/2.2) |
/// | `gamma-global`, `gamma-per-channel` | learnable γ, one global or one per colour (R, G, B), init `gammas` (default 1.0) |
/// | `sq`, `bwsq` | trainable thresholds per colour (quantile-initialised by the trainer), temperature decaying exponentially 10⁻² → 10⁻⁴ |
/// | `lsq` | learned step size per colour |
/// | `isp` | the conventional pipeline: demosaic, white balance, sRGB, 8 bit (``ISPInput``; needs `whiteBalance`, `cameraToSRGB`) |
public struct QuantizerDescription: Codable, Sendable, Equatable {
    public var name: String
    public var bits: Int
    /// Fixed γ (`gamma`) or initial γ (learnable); one or three values.
    public var gammas: [Float]?
    /// `isp`: camera white-balance gains R, G, B.
    public var whiteBalance: [Float]?
    /// `isp`: camera RGB → linear sRGB, 3×3 row-major.
    public var cameraToSRGB: [Float]?

    public static let names = ["float", "linear", "log", "gamma", "gamma-global", "gamma-per-channel", "sq", "bwsq", "lsq", "isp"]

    public init(name: String, bits: Int, gammas: [Float]? = nil) throws {
        guard QuantizerDescription.names.contains(name) else {
            throw QuantizerDescriptionError("unknown quantizer \"\(name)\"; choose one of \(QuantizerDescription.names.joined(separator: ", "))")
        }
        guard (1...8).contains(bits) else { throw QuantizerDescriptionError("bits must be in 1...8, got \(bits)") }
        if let gammas, !(gammas.count == 1 || gammas.count == 3) || !gammas.allSatisfy({ $0 > 0 && $0.isFinite }) {
            throw QuantizerDescriptionError("γ needs 1 or 3 positive values")
        }
        self.name = name
        self.bits = bits
        self.gammas = gammas
    }

    /// The ISP baseline with a camera's white balance and colour matrix.
    public static func isp(whiteBalance: [Float], cameraToSRGB: [Float]) throws -> QuantizerDescription {
        guard whiteBalance.count == 3, cameraToSRGB.count == 9 else { throw QuantizerDescriptionError("isp needs 3 gains and a 3×3 matrix") }
        var description = try QuantizerDescription(name: "isp", bits: 8)
        description.whiteBalance = whiteBalance
        description.cameraToSRGB = cameraToSRGB
        return description
    }

    /// A fresh quantizer of this description.
    public func makeQuantizer() -> InputQuantizer {
        switch name {
        case "float": return CurveQuantizer.fullPrecision()
        case "linear": return CurveQuantizer(.linear, bits: bits)
        case "log": return CurveQuantizer(.log, bits: bits)
        case "gamma": return CurveQuantizer(.gamma(gammas ?? [1 / 2.2]), bits: bits)
        case "gamma-global": return LearnableGammaQuantizer(bits: bits, initialGamma: [gammas?.first ?? 1], perColor: false)
        case "gamma-per-channel": return LearnableGammaQuantizer(bits: bits, initialGamma: gammas ?? [1], perColor: true)
        case "sq": return ThresholdQuantizer(mode: .sq, bits: bits, perColor: true, schedule: QuantizerDescription.rawTemperature)
        case "bwsq": return ThresholdQuantizer(mode: .bwsq, bits: bits, perColor: true, schedule: QuantizerDescription.rawTemperature)
        case "isp": return ISPInput(whiteBalance: whiteBalance ?? [1, 1, 1], cameraToSRGB: cameraToSRGB ?? [1, 0, 0, 0, 1, 0, 0, 0, 1])
        default: return LSQQuantizer(bits: bits, perColor: true)
        }
    }

    /// The temperature schedule for thresholds on normalised raw input x̂ ∈ [0, 1]. The paper's τ₀ = 1 suits
    /// z-scored features; raw pixels sit mostly within a few percent of black, where quantile thresholds are
    /// 10⁻³–10⁻² apart, so τ starts at 10⁻² (4-bit detection, 8 epochs on 128² scenes: Bw-SQ mAP@0.5 0.78
    /// with τ₀ = 10⁻², 0.72 with τ₀ = 1).
    public static let rawTemperature = TemperatureSchedule.exponential(start: 1e-2, end: 1e-4)

    /// Whether the quantizer has trainable parameters.
    public var isLearnable: Bool { ["gamma-global", "gamma-per-channel", "sq", "bwsq", "lsq"].contains(name) }
}

/// An invalid quantizer description.
public struct QuantizerDescriptionError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
