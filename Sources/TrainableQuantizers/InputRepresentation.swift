import Quantization

/// What the network receives for the raw mosaic: one case per row family of the experiments, with
/// everything that depends on the family in one place — its label, whether it learns, its payload, and
/// how to build its train face (``makeTrainFace(bits:gammas:whiteBalance:cameraToSRGB:)``) and, for the
/// fixed curves, its deploy face (``fixedDeploySpec(bits:gammas:)``).
///
/// Raw values are the command-line names and the names stored in checkpoints and results
/// (`QuantizerDescription.name`, `ExperimentRow.quantizer`), so files written before this type read back.
///
/// | case | raw value | train face | deploy face |
/// |---|---|---|---|
/// | ``float`` | `float` | x̂ unquantized (the upper reference) | none: the sensor sends ADC codes |
/// | ``isp`` | `isp` | demosaic, white balance, sRGB, 8 bit (``ISPInput``) | none: an 8-bit RGB frame |
/// | ``linear``, ``log`` | `linear`, `log` | fixed curve (``CurveQuantizer``) | ``QuantizerKind/linear``, ``QuantizerKind/log`` |
/// | ``gamma`` | `gamma` | fixed γ (default 1/2.2) | ``QuantizerKind/gamma`` |
/// | ``gammaGlobal``, ``gammaPerColor`` | `gamma-global`, `gamma-per-channel` | learnable γ (``LearnableGammaQuantizer``) | from training |
/// | ``sq``, ``bwsq`` | `sq`, `bwsq` | trainable thresholds per colour (``ThresholdQuantizer``) | from training |
/// | ``lsq`` | `lsq` | learned step per colour (``LSQQuantizer``) | from training |
/// | ``logLearnedGlobal``, ``logLearned`` | `log-learned-global`, `log-learned` | learned log D (``LearnedLogQuantizer``) | ``QuantizerKind/log`` with D |
/// | ``gammaLog`` | `gamma-log` | learned D and γ per colour (``LearnedLogQuantizer``) | ``QuantizerKind/gammaLog`` |
/// | ``monotone`` | `monotone` | learned monotone curve per colour (``MonotoneCurveQuantizer``) | ``QuantizerKind/monotone`` |
/// | ``floatLog`` | `float-log` | x̂ through the fixed log, unquantized (a 12-bit reference) | none |
/// | ``floatMonotone`` | `float-monotone` | x̂ through a learned monotone curve, unquantized (a 12-bit reference) | none |
public enum InputRepresentation: String, CaseIterable, Codable, Sendable {
    case float
    case isp
    case linear
    case log
    case gamma
    case gammaGlobal = "gamma-global"
    case gammaPerColor = "gamma-per-channel"
    case sq
    case bwsq
    case lsq
    case logLearnedGlobal = "log-learned-global"
    case logLearned = "log-learned"
    case gammaLog = "gamma-log"
    case monotone
    case floatLog = "float-log"
    case floatMonotone = "float-monotone"

    /// The name on the command line and in files.
    public var name: String { rawValue }

    /// A human-readable label for tables.
    public var label: String {
        switch self {
        case .float: "12-bit raw (float)"
        case .isp: "ISP baseline (8-bit sRGB)"
        case .linear: "linear"
        case .log: "log"
        case .gamma: "fixed γ = 1/2.2"
        case .gammaGlobal: "learned γ (global)"
        case .gammaPerColor: "learned γ (per CFA colour)"
        case .sq: "SQ"
        case .bwsq: "Bw-SQ"
        case .lsq: "LSQ"
        case .logLearnedGlobal: "learned log (global)"
        case .logLearned: "learned log (per CFA colour)"
        case .gammaLog: "learned γ-log (per CFA colour)"
        case .monotone: "learned monotone curve (per CFA colour)"
        case .floatLog: "12-bit raw through log (float)"
        case .floatMonotone: "12-bit raw through a learned curve (float)"
        }
    }

    /// Whether the train face has parameters that learn with the network.
    public var isLearnable: Bool {
        switch self {
        case .gammaGlobal, .gammaPerColor, .sq, .bwsq, .lsq, .logLearnedGlobal, .logLearned, .gammaLog, .monotone, .floatMonotone: true
        case .float, .isp, .linear, .log, .gamma, .floatLog: false
        }
    }

    /// Whether it is a fixed transfer curve (linear, log, fixed γ): a deploy face with no training.
    public var isFixedCurve: Bool { [.linear, .log, .gamma].contains(self) }

    /// Whether the sensor sends N-bit codes (false for the float and ISP references).
    public var isQuantized: Bool { !isReference }

    /// Whether it is an unquantized reference (the sensor sends ADC codes or an ISP frame, not N-bit codes).
    public var isReference: Bool { [.float, .isp, .floatLog, .floatMonotone].contains(self) }

    /// Channels the network receives from the 4 planes at `bits`: 3 for the ISP's RGB, 4 · (2^N − 1) for
    /// Bw-SQ's thermometer, else 4 (what ``makeTrainFace(bits:gammas:whiteBalance:cameraToSRGB:)``'s
    /// `outputChannels(inputChannels: 4)` is, known without building it).
    public func networkChannels(bits: Int) -> Int {
        switch self {
        case .isp: 3
        case .bwsq: 4 * ((1 << bits) - 1)
        default: 4
        }
    }

    /// Payload bits per mosaic pixel: N for quantized inputs, the ADC depth for raw float, 24 for 8-bit RGB
    /// after demosaicking.
    public func payloadBitsPerPixel(bits: Int?, adcBits: Int) -> Int {
        switch self {
        case .float, .floatLog, .floatMonotone: adcBits
        case .isp: 24
        default: bits ?? adcBits
        }
    }

    /// The temperature schedule of threshold train faces on normalised raw input x̂ ∈ [0, 1]. The paper's
    /// τ₀ = 1 suits z-scored features; raw pixels sit mostly within a few percent of black, where quantile
    /// thresholds are 10⁻³–10⁻² apart, so τ starts at 10⁻² (4-bit detection, 8 epochs on 128² scenes:
    /// Bw-SQ mAP@0.5 0.78 with τ₀ = 10⁻², 0.72 with τ₀ = 1).
    public static let rawTemperature = TemperatureSchedule.exponential(start: 1e-2, end: 1e-4)

    /// A fresh train face at `bits`. `gammas`: the fixed γ (``gamma``, default 1/2.2) or the start of
    /// learnable γ (default 1.0), one value or three (R, G, B). `whiteBalance` (R, G, B gains) and
    /// `cameraToSRGB` (3×3 row-major) are the camera's, for ``isp`` (identity when nil).
    public func makeTrainFace(bits: Int, gammas: [Float]? = nil, whiteBalance: [Float]? = nil,
                              cameraToSRGB: [Float]? = nil) -> InputQuantizer {
        switch self {
        case .float: CurveQuantizer.fullPrecision()
        case .isp: ISPInput(whiteBalance: whiteBalance ?? [1, 1, 1], cameraToSRGB: cameraToSRGB ?? [1, 0, 0, 0, 1, 0, 0, 0, 1])
        case .linear: CurveQuantizer(.linear, bits: bits)
        case .log: CurveQuantizer(.log, bits: bits)
        case .gamma: CurveQuantizer(.gamma(gammas ?? [1 / 2.2]), bits: bits)
        case .gammaGlobal: LearnableGammaQuantizer(bits: bits, initialGamma: [gammas?.first ?? 1], perColor: false)
        case .gammaPerColor: LearnableGammaQuantizer(bits: bits, initialGamma: gammas ?? [1], perColor: true)
        case .sq: ThresholdQuantizer(mode: .sq, bits: bits, perColor: true, schedule: InputRepresentation.rawTemperature)
        case .bwsq: ThresholdQuantizer(mode: .bwsq, bits: bits, perColor: true, schedule: InputRepresentation.rawTemperature)
        case .lsq: LSQQuantizer(bits: bits, perColor: true)
        case .logLearnedGlobal: LearnedLogQuantizer(bits: bits, groups: 1)
        case .logLearned: LearnedLogQuantizer(bits: bits, groups: 3)
        case .gammaLog: LearnedLogQuantizer(bits: bits, gamma: 1, groups: 3)
        case .monotone: MonotoneCurveQuantizer(bits: bits, groups: 3)
        case .floatLog: CurveQuantizer(.log, bits: 8, quantizeOutput: false)
        case .floatMonotone: MonotoneCurveQuantizer(bits: 8, groups: 3, quantizeOutput: false)
        }
    }

    /// The deploy face of a fixed curve at `bits` (γ values in Double, one or three); learned families get
    /// theirs from training (``InputQuantizer/deploySpec()``), the references have none.
    public func fixedDeploySpec(bits: Int, gammas: [Double] = [1 / 2.2]) throws -> QuantizerSpec {
        switch self {
        case .linear: return try .linear(bits: bits)
        case .log: return try .log(bits: bits)
        case .gamma: return try .gamma(gammas, bits: bits)
        case .gammaGlobal, .gammaPerColor, .sq, .bwsq, .lsq, .logLearnedGlobal, .logLearned, .gammaLog, .monotone:
            throw QuantizationError("\(rawValue) is learned: its deploy face comes from training (a quantizer file)")
        case .float, .isp, .floatLog, .floatMonotone:
            throw QuantizationError("\(rawValue) has no deploy face: the sensor does not quantize per pixel")
        }
    }

    /// The names, comma-separated, for help and errors.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
